package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.lock.LockReason;
import dev.tillit.keycloak.lock.WithdrawalLock;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.actiontoken.AbstractActionTokenHandler;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionCompoundId;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "This wasn't me": the link of a new-device alert ({@link SignInDisownToken}).
 * <p>
 * Opening the link only shows a confirmation page (as Keycloak's own email verification does):
 * mail scanners that fetch links must not lock anyone's withdrawals. The page's button carries the
 * token bound to this browser's authentication session; only that request acts. It then, once
 * (the token's key is claimed in Keycloak's cluster-wide single-use store): locks withdrawals
 * (reason {@code suspicious_sign_in}, which also revokes every trusted device and removes every
 * linked identity), ends the session the alerted sign-in opened (its refresh tokens stop working)
 * and emits {@code tillit_event=sign_in_disowned}. The notice of a newly linked identity carries the
 * same link ({@link SignInDisownToken#IDENTITY_LINKED}): it names the session that linked it.
 */
public class SignInDisownHandler extends AbstractActionTokenHandler<SignInDisownToken> {

    static final String TEMPLATE = "tillit-sign-in-disowned.ftl";

    public SignInDisownHandler() {
        super(SignInDisownToken.TOKEN_TYPE, SignInDisownToken.class, TillitMessages.DISOWN_LINK_INVALID,
                EventType.EXECUTE_ACTION_TOKEN, Errors.INVALID_TOKEN);
    }

    @Override
    public Response handleToken(SignInDisownToken token, ActionTokenContext<SignInDisownToken> tokenContext) {
        KeycloakSession session = tokenContext.getSession();
        RealmModel realm = tokenContext.getRealm();
        AuthenticationSessionModel authSession = tokenContext.getAuthenticationSession();
        UserModel user = authSession.getAuthenticatedUser();
        EventBuilder event = tokenContext.getEvent();
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class).setAuthenticationSession(authSession).setUser(user);
        String key = token.serializeKey();

        if (session.singleUseObjects().contains(key)) {
            event.clone().error(Errors.EXPIRED_CODE);
            return forms.setError(TillitMessages.DISOWN_LINK_USED).createErrorPage(Response.Status.BAD_REQUEST);
        }
        if (tokenContext.isAuthenticationSessionFresh()) {
            // Bind the token to this browser's new authentication session: the button below acts, the bare link does not.
            token.setCompoundAuthenticationSessionId(AuthenticationSessionCompoundId.fromAuthSession(authSession).getEncodedId());
            String confirm = Urls.actionTokenBuilder(tokenContext.getUriInfo().getBaseUri(),
                            token.serialize(session, realm, tokenContext.getUriInfo()),
                            authSession.getClient().getClientId(), authSession.getTabId(),
                            AuthenticationProcessor.getClientData(session, authSession))
                    .build(realm.getName()).toString();
            return forms.setAttribute("disownState", "confirm").setAttribute("confirmUrl", confirm)
                    .setAttribute("disownWhat", what(token)).createForm(TEMPLATE);
        }
        long lifespan = Math.max(1, token.getExp() - Time.currentTime());
        if (!session.singleUseObjects().putIfAbsent(key, lifespan)) {
            event.clone().error(Errors.EXPIRED_CODE);
            return forms.setError(TillitMessages.DISOWN_LINK_USED).createErrorPage(Response.Status.BAD_REQUEST);
        }

        // The lock removes every linked identity: say which, by the names people know.
        String removed = session.users().getFederatedIdentitiesStream(realm, user)
                .map(identity -> WithdrawalLock.providerName(session, identity.getIdentityProvider()))
                .sorted().collect(java.util.stream.Collectors.joining(", "));
        long lockedUntil = WithdrawalLock.apply(session, realm, user, LockReason.SUSPICIOUS_SIGN_IN, event);
        String sessionId = token.getUserSessionId();
        UserSessionModel userSession = sessionId == null ? null : session.sessions().getUserSession(realm, sessionId);
        boolean ended = false;
        if (userSession != null && userSession.getUser() != null && user.getId().equals(userSession.getUser().getId())) {
            AuthenticationManager.backchannelLogout(session, realm, userSession, tokenContext.getUriInfo(),
                    tokenContext.getClientConnection(), tokenContext.getRequest().getHttpHeaders(), true);
            ended = true;
        }
        event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user).session(sessionId)
                .detail(TillitEvents.DETAIL, TillitEvents.SIGN_IN_DISOWNED)
                .detail("session_ended", Boolean.toString(ended))
                .success();
        return forms.setAttribute("disownState", "done")
                .setAttribute("disownWhat", what(token))
                .setAttribute("removedProviders", removed)
                .setAttribute("lockedUntil", WithdrawalLock.format(lockedUntil))
                .createForm(TEMPLATE);
    }

    /** {@code sign_in} (a new-device alert) or {@code identity_linked} (the notice of a linked identity). */
    private static String what(SignInDisownToken token) {
        return SignInDisownToken.IDENTITY_LINKED.equals(token.getWhat()) ? SignInDisownToken.IDENTITY_LINKED : "sign_in";
    }

    @Override
    public boolean canUseTokenRepeatedly(SignInDisownToken token, ActionTokenContext<SignInDisownToken> tokenContext) {
        // Keycloak's own single-use check would spend the token on the confirmation page; handleToken claims it on the act.
        return true;
    }
}
