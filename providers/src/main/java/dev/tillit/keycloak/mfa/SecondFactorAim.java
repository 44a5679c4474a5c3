package dev.tillit.keycloak.mfa;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A step of the first factor's sub-flow (level of authentication 1) that makes every fresh sign-in aim at
 * the second factor's level. Keycloak's step-up ({@code conditional-level-of-authentication}) asks a level
 * only when the client requested it; Tillit's rule is that an account with a second factor is always asked
 * it. So after the password, the sign-in's requested level is raised to {@link TrustedDeviceCondition#SECOND_FACTOR_LEVEL}
 * (never lowered): a client asking {@code acr_values=1} cannot skip the second factor, and one asking nothing
 * gets it as before. The level the client itself asked is kept ({@link #CLIENT_REQUESTED}) for the trusted-device
 * condition, which spares the second factor on a trusted device unless the client asked for level 2.
 * An SSO session skips this sub-flow: there only the client's own request (a step-up) asks the second factor.
 * <p>
 * The same step ends the first factor of an identity provider's post login flow ({@code tillit post broker login
 * first factor}, level 1: the provider's sign-in is the first factor), so a provider's sign-in aims at level 2 too
 * and records level 1 through the same {@code conditional-level-of-authentication} bookkeeping as the password;
 * a later step-up on that session then asks only the second factor.
 * <p>
 * Placed right after the first factor, it also says for {@code amr} what answered it
 * ({@link SignInMethods#FORM_ANSWER_NOTE}: a passkey instead of the password) and starts this sign-in's own
 * values ({@link SignInMethods#NOTE}) afresh, so that a re-authentication in the same session does not inherit them.
 */
public class SecondFactorAim implements Authenticator, AuthenticatorFactory {

    public static final String ID = "tillit-aim-second-factor";
    /** Auth note: the level the client requested (acr_values / claims), -1 when none. */
    static final String CLIENT_REQUESTED = "tillit.loa.client-requested";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String requested = authSession.getClientNote(Constants.REQUESTED_LEVEL_OF_AUTHENTICATION);
        int level = requested == null ? Constants.NO_LOA : Integer.parseInt(requested);
        if (authSession.getAuthNote(CLIENT_REQUESTED) == null) {
            authSession.setAuthNote(CLIENT_REQUESTED, Integer.toString(level));
        }
        if (level < TrustedDeviceCondition.SECOND_FACTOR_LEVEL) {
            authSession.setClientNote(Constants.REQUESTED_LEVEL_OF_AUTHENTICATION, Integer.toString(TrustedDeviceCondition.SECOND_FACTOR_LEVEL));
        }
        authSession.setUserSessionNote(SignInMethods.NOTE, "");
        authSession.setUserSessionNote(SignInMethods.FORM_ANSWER_NOTE, PasskeySecondFactor.answeredTheForm(authSession)
                ? SignInMethods.forCredentialType(WebAuthnCredentialModel.TYPE_PASSWORDLESS) : "");
        context.success();
    }

    /** The level the client itself requested in this sign-in (before {@link SecondFactorAim} raised it), or null when unknown. */
    static Integer clientRequested(AuthenticationSessionModel authSession) {
        String note = authSession.getAuthNote(CLIENT_REQUESTED);
        return note == null ? null : Integer.valueOf(note);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: every sign-in aims at the second factor";
    }

    @Override
    public String getHelpText() {
        return "In the first factor's sub-flow (after the password, or an identity provider's sign-in): raises the sign-in's requested level of authentication "
                + "to 2, so that 'Condition - level of authentication' 2 asks an account's second factor even when the client "
                + "asked for less. Without it Keycloak asks level 2 only when a client requests it.";
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
