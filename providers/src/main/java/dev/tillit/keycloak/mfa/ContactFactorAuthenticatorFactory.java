package dev.tillit.keycloak.mfa;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Flow step of one contact factor. Its settings are the realm's code settings (Tillit page), so
 * the step itself has nothing to configure; like Keycloak's OTP form it may be REQUIRED,
 * ALTERNATIVE (next to the authenticator app, "try another way") or DISABLED.
 */
abstract class ContactFactorAuthenticatorFactory implements AuthenticatorFactory {

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

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
