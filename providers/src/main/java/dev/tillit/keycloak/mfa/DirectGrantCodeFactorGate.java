package dev.tillit.keycloak.mfa;

import java.util.List;
import java.util.Set;

import dev.tillit.keycloak.TillitEvents;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.directgrant.AbstractDirectGrantAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The mobile app's password grant must be no way around a second factor. Keycloak's direct grant
 * can check an authenticator-app code ({@code otp}) but not a code we first have to send, a passkey
 * or a recovery code, so an account whose second factor is one of those (and no authenticator app) is refused here,
 * after its password was checked, with a clear {@code invalid_grant}, until the app uses the
 * hosted sign-in (or a two-step grant exists).
 */
public class DirectGrantCodeFactorGate extends AbstractDirectGrantAuthenticator {

    public static final String ID = "tillit-direct-grant-code-factor-gate";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getEvent().user(context.getUser())
                .detail(TillitEvents.DETAIL, TillitEvents.DIRECT_GRANT_SECOND_FACTOR_REQUIRED)
                .error(Errors.INVALID_USER_CREDENTIALS);
        context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, errorResponse(400, OAuthErrorException.INVALID_GRANT,
                "This account's second factor cannot be checked here (a code by SMS or email, a passkey or "
                        + "recovery codes): sign in through the browser."));
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /**
     * Applies to accounts with a second factor the grant cannot check — an SMS or email code, a passkey or
     * security key (a browser ceremony), recovery codes — and no authenticator app (whose {@code otp} the
     * grant checks). Otherwise a password alone would open such an account through the grant.
     */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE)) {
            return false;
        }
        return user.credentialManager().getStoredCredentialsStream().anyMatch(c -> UNCHECKABLE.contains(c.getType()));
    }

    /** Second factors the password grant has no way to check. */
    static final Set<String> UNCHECKABLE = Set.of(ContactFactor.SMS.credentialType(),
            ContactFactor.EMAIL.credentialType(), WebAuthnCredentialModel.TYPE_TWOFACTOR,
            WebAuthnCredentialModel.TYPE_PASSWORDLESS, RecoveryAuthnCodesCredentialModel.TYPE);

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: direct grant — refuse second factors it cannot check";
    }

    @Override
    public String getHelpText() {
        return "Refuses the password grant for accounts whose second factor is an SMS or email code, a passkey or security "
                + "key, or recovery codes, and who have no authenticator app (the grant checks only its code); use in "
                + "a conditional sub-flow after the password check.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
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
}
