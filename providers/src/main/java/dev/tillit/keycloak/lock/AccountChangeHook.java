package dev.tillit.keycloak.lock;

import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;

/**
 * What other capabilities do when the withdrawal lock, or the realm's Tillit event listener
 * ({@code tillit-withdrawal-lock}), sees an account change: SPI {@value AccountChangeHookSpi#NAME}.
 * The lock calls out through it instead of importing them, so the capabilities that lock
 * withdrawals ({@code reset}, {@code mfa}, {@code broker}) can all import {@code lock} and none of
 * them imports another (e.g. {@code mfa} revokes trusted devices when a lock reason calls for it).
 * Every method runs in the caller's session and transaction; the defaults do nothing.
 */
public interface AccountChangeHook extends Provider {

    /** A lock for {@code reason} is being applied, before the "already locked" shortcuts (so every such change counts). */
    default void beforeLock(RealmModel realm, UserModel user, LockReason reason, EventBuilder event) {
    }

    /**
     * An admin updated the account ({@code PUT /admin/realms/{realm}/users/{id}}); runs before the
     * locks the update calls for, so that their notices see what this hook did.
     *
     * @param phoneChanged the update changed or removed {@code phone_number}
     */
    default void afterAdminUpdate(RealmModel realm, UserModel user, boolean phoneChanged, EventBuilder event) {
    }

    /**
     * A successful user event reached the listener, after any lock it called for (in the request's
     * session: e.g. a required action added here is seen by the required-action loop at once).
     */
    default void afterUserEvent(Event event) {
    }

    /**
     * An admin changed the account's email address (an admin's word is no proof: mfa stores it unverified);
     * runs before the email-change lock, so that its notice sees what this hook did.
     *
     * @param previousEmail the address before the update (null when there was none)
     */
    default void afterAdminEmailUpdate(RealmModel realm, UserModel user, String previousEmail, EventBuilder event) {
    }

    /** A "this was not me" link for a notice, working for {@code lifespanSeconds}. */
    record DisownLink(String url, long lifespanSeconds) {
    }

    /**
     * The "this was not me" link the owner's notice of {@code reason} carries, ending {@code sessionId}
     * (the session that made the change; null when none, e.g. an admin made it) when followed; null
     * when this hook makes no such link.
     */
    default DisownLink disownLink(RealmModel realm, UserModel user, String sessionId, LockReason reason) {
        return null;
    }

    @Override
    default void close() {
    }
}
