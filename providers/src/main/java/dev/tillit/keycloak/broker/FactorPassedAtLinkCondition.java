package dev.tillit.keycloak.broker;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Condition of the post-sign-in flow's second-factor sub-flow ({@code tillit post broker login}):
 * true (ask the second factor) unless this very sign-in just linked the identity to the account
 * through "Link existing account", whose sub-flow already asked the account's password and second
 * factor. Keycloak runs an identity provider's post-login flow after every sign-in through it, and
 * after a FIRST sign-in too (the link is then already stored, tokens not yet issued); it marks the
 * latter with {@link PostBrokerLoginConstants#PBL_AFTER_FIRST_BROKER_LOGIN}. The proof that the link
 * asked the factor is {@link #LINK_VERIFIED}, set by {@link LinkConfirm} (which comes after the link's
 * password and second-factor steps) to the linked account's id: any other first-sign-in flow, or
 * another account, leaves it absent, and the factor is asked.
 */
public class FactorPassedAtLinkCondition implements ConditionalAuthenticator {

    /** Auth-session note: the id of the account whose password and second factor "Link existing account" just passed. */
    static final String LINK_VERIFIED = "tillit.broker.link-verified";

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        return !passedAtLink(context.getAuthenticationSession(), context.getUser());
    }

    static boolean passedAtLink(AuthenticationSessionModel authSession, UserModel user) {
        return user != null
                && Boolean.parseBoolean(authSession.getAuthNote(PostBrokerLoginConstants.PBL_AFTER_FIRST_BROKER_LOGIN))
                && user.getId().equals(authSession.getAuthNote(LINK_VERIFIED));
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
    public void close() {
    }
}
