package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;

/**
 * Flow step of one contact factor. Its settings are the realm's code settings (Tillit page), so
 * the step itself has nothing to configure; like Keycloak's OTP form it may be REQUIRED,
 * ALTERNATIVE (next to the authenticator app, "try another way") or DISABLED.
 */
abstract class ContactFactorAuthenticatorFactory implements RealmSettingsAuthenticatorFactory {

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.ALTERNATIVE,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    abstract ContactFactor factor();

    @Override
    public Authenticator create(KeycloakSession session) {
        return new ContactFactorAuthenticator(factor());
    }

    @Override
    public String getId() {
        return factor().authenticatorId();
    }

    /** Ties the step to its credential type: the account console offers the factor while a flow uses it. */
    @Override
    public String getReferenceCategory() {
        return factor().credentialType();
    }

    /** Unlike the realm-wide steps, a factor may also be one ALTERNATIVE among others. */
    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }
}
