package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Condition of the sub-flow {@code tillit browser passkey}: true when a passkey answered the identifier form of this
 * sign-in with the person's verification ({@link PasskeySecondFactor#userVerified}). A sign-in by password, an SSO
 * step-up (no form answered) and a passkey without verification leave the sub-flow out, and the level stays 1
 * until {@code tillit browser second factor}.
 */
public class PasskeyVerifiedCondition implements ConditionalAuthenticator, ConditionalAuthenticatorFactory,
        RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-condition-passkey-verified";

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        return PasskeySecondFactor.userVerified(context.getRealm(), context.getAuthenticationSession());
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return this;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: condition - passkey with user verification";
    }

    @Override
    public String getHelpText() {
        return "True when a passkey answered the sign-in form with the person's verification (the realm's passwordless"
                + " policy requires user verification). Put it in front of 'Tillit: a verified passkey is the second factor'.";
    }

    @Override
    public void close() {
    }
}
