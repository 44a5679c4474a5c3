package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.lock.LockReason;
import dev.tillit.keycloak.lock.WithdrawalLock;
import java.util.ArrayList;
import java.util.List;

import dev.tillit.keycloak.password.PasswordRules;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import dev.tillit.keycloak.FormStepAuthenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.messages.Messages;

/**
 * The last step of a reset: the new password (the realm's policy applies), then every session
 * of the user ends, withdrawals are locked and the user is told — and the page offers "Back to
 * sign in" rather than signing anyone in.
 */
public class ResetNewPassword implements FormStepAuthenticator {

    static final String FORM = "tillit-reset-password.ftl";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.challenge(PasswordRules.describe(context.form(), context.getRealm()).createForm(FORM));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        String password = form.getFirst("password-new");

        List<FormMessage> errors = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            errors.add(new FormMessage("password-new", Messages.MISSING_PASSWORD));
        } else {
            PolicyError policy = session.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, password);
            if (policy != null) {
                errors.add(new FormMessage("password-new", policy.getMessage(), policy.getParameters()));
            } else if (!password.equals(form.getFirst("password-confirm"))) {
                errors.add(new FormMessage("password-confirm", Messages.NOTMATCH_PASSWORD));
            }
        }
        if (!errors.isEmpty()) {
            context.getEvent().clone().event(EventType.RESET_PASSWORD_ERROR).user(user).error(Errors.PASSWORD_REJECTED);
            context.challenge(PasswordRules.describe(context.form(), realm).setErrors(errors).createForm(FORM));
            return;
        }

        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        endAllSessions(context, session, realm, user);
        context.getEvent().clone().event(EventType.RESET_PASSWORD).user(user)
                .detail(Details.CREDENTIAL_TYPE, "password")
                .detail(TillitEvents.DETAIL, TillitEvents.PASSWORD_RESET)
                .success();
        long until = WithdrawalLock.apply(session, realm, user, LockReason.PASSWORD_RESET, context.getEvent());

        // Done: nobody is signed in by a reset, so the page shows no account above the message.
        context.getAuthenticationSession().removeAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        context.clearUser();
        context.challenge(context.form()
                .setAttribute("lockedUntil", WithdrawalLock.format(until))
                .createForm("tillit-reset-done.ftl"));
    }

    /**
     * Signs the user out everywhere through Keycloak's own logout: each online and offline session
     * ends by {@link AuthenticationManager#backchannelLogout} (clients with a back-channel logout URL
     * are called, offline sessions are revoked) and a LOGOUT event is emitted for it, as Keycloak's
     * "sign out other devices" does. Then not-before voids any token issued earlier.
     */
    private static void endAllSessions(AuthenticationFlowContext context, KeycloakSession session, RealmModel realm, UserModel user) {
        List<UserSessionModel> sessions = new ArrayList<>(session.sessions().getUserSessionsStream(realm, user).toList());
        sessions.addAll(session.sessions().getOfflineUserSessionsStream(realm, user).toList());
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(session, realm, userSession, session.getContext().getUri(),
                    context.getConnection(), context.getHttpRequest().getHttpHeaders(), true);
            context.getEvent().clone().event(EventType.LOGOUT).session(userSession).user(user)
                    .detail(Details.REASON, TillitEvents.PASSWORD_RESET)
                    .success();
        }
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
    }

    @Override
    public boolean requiresUser() {
        return true;
    }
}
