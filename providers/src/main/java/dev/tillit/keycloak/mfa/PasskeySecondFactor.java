package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The step of the sub-flow {@code tillit browser passkey}: a passkey that answered the identifier form with the
 * person's verification (its PIN or biometric) is two factors — the key, and the person verified at it. It records
 * level 2 in Keycloak's level-of-authentication store ({@link AcrStore}: this sign-in's level and the session's map
 * of levels with their times), the same bookkeeping {@code conditional-level-of-authentication} does after the
 * second factor; that condition itself cannot stand here, since Keycloak allows one condition per level in a flow
 * (a second one for level 2 fails every SSO sign-in with "Duplicate key 2"). The second factor's condition then
 * finds level 2 reached and asks nothing. The step asks nothing either; it adds {@link SignInMethods#USER} to
 * {@code amr} (the key itself, {@code swk}, is the form's answer: {@link SecondFactorAim}). Its condition is
 * {@link PasskeyVerifiedCondition}.
 */
public class PasskeySecondFactor implements Authenticator, RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-passkey-second-factor";
    /** Keycloak's value of the passwordless policy's user verification requirement that refuses assertions without it. */
    static final String VERIFICATION_REQUIRED = "required";

    /** True when a passkey (not the password) answered the identifier form of this sign-in. */
    static boolean answeredTheForm(AuthenticationSessionModel authSession) {
        return AuthenticatorUtil.getAuthnCredentials(authSession).contains(WebAuthnCredentialModel.TYPE_PASSWORDLESS);
    }

    /**
     * True when a passkey answered the identifier form and the person was verified at it: the realm's passwordless
     * policy requires user verification (as shipped), so Keycloak refused any assertion without it. With a laxer
     * policy a passkey may have been used without it, and it counts as one factor.
     */
    static boolean userVerified(RealmModel realm, AuthenticationSessionModel authSession) {
        return answeredTheForm(authSession)
                && VERIFICATION_REQUIRED.equals(realm.getWebAuthnPolicyPasswordless().getUserVerificationRequirement());
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        new AcrStore(context.getSession(), context.getAuthenticationSession())
                .setLevelAuthenticated(TrustedDeviceCondition.SECOND_FACTOR_LEVEL);
        SignInMethods.add(context.getAuthenticationSession(), SignInMethods.USER);
        context.success();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
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
        return "Tillit: a verified passkey is the second factor";
    }

    @Override
    public String getHelpText() {
        return "In a sub-flow after the first factor, behind 'Condition - Tillit: passkey with user verification': asks"
                + " nothing; the passkey that answered the sign-in form with the person's PIN or biometric reaches level 2"
                + " (recorded as the level-of-authentication condition records it), and amr says 'user' beside the key.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public void close() {
    }
}
