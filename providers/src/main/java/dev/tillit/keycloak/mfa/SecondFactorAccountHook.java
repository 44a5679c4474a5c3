package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.lock.AccountChangeHook;
import dev.tillit.keycloak.lock.LockReason;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The second factors' part in an account change the withdrawal lock sees: a lock reason that
 * calls for it revokes every trusted device ({@link TrustedDevices#revokeAll}); an admin's update
 * keeps the SMS factor in step with the phone number ({@link SmsFactorFollowsPhone}); the set-up
 * of a second factor offers recovery codes ({@link RecoveryCodesOffer}).
 */
public class SecondFactorAccountHook implements AccountChangeHook {

    private final KeycloakSession session;

    SecondFactorAccountHook(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void beforeLock(RealmModel realm, UserModel user, LockReason reason, EventBuilder event) {
        if (reason.revokesTrustedDevices()) {
            TrustedDevices.revokeAll(session, realm, user, reason.detail(), event);
        }
    }

    /** A linked identity's notice carries "this was not me" ({@link SignInDisownToken}). */
    @Override
    public DisownLink disownLink(RealmModel realm, UserModel user, String sessionId, LockReason reason) {
        if (reason != LockReason.IDENTITY_LINKED) {
            return null;
        }
        return new DisownLink(SignInDisownToken.link(session, realm, user, sessionId, SignInDisownToken.IDENTITY_LINKED),
                SignInDisownToken.LINK_LIFESPAN_SECONDS);
    }

    @Override
    public void afterAdminUpdate(RealmModel realm, UserModel user, boolean phoneChanged, EventBuilder event) {
        SmsFactorFollowsPhone.afterAdminUpdate(user, phoneChanged, event);
    }

    @Override
    public void afterAdminEmailUpdate(RealmModel realm, UserModel user, String previousEmail, EventBuilder event) {
        EmailFactorFollowsEmail.afterAdminUpdate(user, true, previousEmail, event);
    }

    /** In the request's own session: the required-action loop must see the new action at once. */
    @Override
    public void afterUserEvent(Event event) {
        String credentialType = event.getDetails() == null ? null : event.getDetails().get(Details.CREDENTIAL_TYPE);
        if (event.getType() != EventType.UPDATE_CREDENTIAL || !RecoveryCodesOffer.followsSetUpOf(credentialType)) {
            return;
        }
        KeycloakTransactionManager tx = session.getTransactionManager();
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = realm == null ? null : session.users().getUserById(realm, event.getUserId());
        if (user != null && tx.isActive() && !tx.getRollbackOnly()) {
            RecoveryCodesOffer.afterSetUp(session, realm, user, credentialType);
        }
    }
}
