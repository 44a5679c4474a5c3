package dev.tillit.keycloak.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Turns security-relevant events into withdrawal locks, whatever path produced them.
 * <p>
 * In Keycloak 26.7 a successful event ({@code EventBuilder.success()}, {@code AdminEventBuilder.success()})
 * reaches listeners synchronously, inside the request and before its transaction commits (the
 * admin user update commits explicitly right after its admin event). So the lock is written in
 * the request's own session and transaction: the change and the lock commit or roll back together.
 * Only when no transaction is active any more (or it is already doomed) does the lock get a
 * transaction of its own. Error events are sent by Keycloak in a separate transaction; they never lock.
 * <p>
 * Being the realm's one Tillit listener, it also hands each event to the {@link AccountChangeHook}s
 * (e.g. {@code mfa} offers recovery codes after the set-up of a second factor: Keycloak's own
 * set-up actions have no other hook).
 */
public class WithdrawalLockEventListener implements EventListenerProvider {

    /** The credential types that are second factors: removing one locks withdrawals. */
    public static final Set<String> SECOND_FACTORS = Set.of("otp", "totp", "hotp", "webauthn", "webauthn-passwordless",
            "recovery-authn-codes", "tillit-sms-otp", "tillit-email-otp");
    private static final Pattern ADMIN_USER = Pattern.compile("^users/([^/]+)$");
    private static final Pattern ADMIN_RESET = Pattern.compile("^users/([^/]+)/reset-password$");
    private static final Pattern ADMIN_CREDENTIAL = Pattern.compile("^users/([^/]+)/credentials/[^/]+$");
    private static final Pattern ADMIN_LINK = Pattern.compile("^users/([^/]+)/federated-identity/([^/]+)$");

    private final KeycloakSession session;

    WithdrawalLockEventListener(KeycloakSession session) {
        this.session = session;
    }

    /**
     * One lock to write: why, and (for contact changes) what the contact was before; for a linked
     * identity, the provider's alias and the session that linked it (may be null).
     */
    record Lock(LockReason reason, PreviousContact previous, String alias, String sessionId) {

        Lock(LockReason reason, PreviousContact previous) {
            this(reason, previous, null, null);
        }

        static Lock linked(String alias, String sessionId) {
            return new Lock(LockReason.IDENTITY_LINKED, PreviousContact.NONE, alias, sessionId);
        }
    }

    @Override
    public void onEvent(Event event) {
        if (event.getError() != null || event.getUserId() == null) {
            return;
        }
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        if (event.getType() == EventType.FEDERATED_IDENTITY_LINK || event.getType() == EventType.FEDERATED_IDENTITY_OVERRIDE_LINK) {
            // First-login "link existing account" (Keycloak's afterFirstBrokerLogin) and account linking
            // from the account console or an application (performAccountLinking). A first-login sign-in's
            // user session will carry the id of its root authentication session, the event's code_id.
            String alias = details.get(Details.IDENTITY_PROVIDER);
            String sessionId = event.getSessionId() != null ? event.getSessionId() : details.get(Details.CODE_ID);
            if (alias != null) {
                lock(event.getRealmId(), event.getUserId(), Lock.linked(alias, sessionId));
            }
        }
        for (Lock lock : locksFor(event.getType(), details)) {
            lock(event.getRealmId(), event.getUserId(), lock);
        }
        session.getAllProviders(AccountChangeHook.class).forEach(hook -> hook.afterUserEvent(event));
    }

    /** Which locks a user event calls for (pure: unit-tested). */
    static List<Lock> locksFor(EventType type, Map<String, String> details) {
        List<Lock> locks = new ArrayList<>();
        if (TillitEvents.PASSWORD_RESET.equals(details.get(TillitEvents.DETAIL))
                || TillitEvents.WITHDRAWAL_LOCKED.equals(details.get(TillitEvents.DETAIL))) {
            return locks; // the reset step locked already and told the user; a lock event is no new change
        }
        String credentialType = details.get(Details.CREDENTIAL_TYPE);
        switch (type) {
            case UPDATE_PASSWORD -> locks.add(new Lock(LockReason.PASSWORD_CHANGED, PreviousContact.NONE));
            case RESET_PASSWORD -> locks.add(new Lock(LockReason.PASSWORD_RESET, PreviousContact.NONE));
            case UPDATE_CREDENTIAL -> {
                if ("password".equals(credentialType)) {
                    locks.add(new Lock(LockReason.PASSWORD_CHANGED, PreviousContact.NONE));
                }
            }
            case REMOVE_TOTP -> locks.add(new Lock(LockReason.SECOND_FACTOR_REMOVED, PreviousContact.NONE));
            case REMOVE_CREDENTIAL -> {
                if (credentialType != null && SECOND_FACTORS.contains(credentialType)) {
                    locks.add(new Lock(LockReason.SECOND_FACTOR_REMOVED, PreviousContact.NONE));
                }
            }
            case UPDATE_EMAIL, UPDATE_PROFILE -> {
                // UPDATE_EMAIL (the verified-change action) and the user-profile auditing of
                // UPDATE_PROFILE both name the previous and the new value.
                if (changed(details, UserModel.EMAIL, Details.PREVIOUS_EMAIL, Details.UPDATED_EMAIL)) {
                    locks.add(new Lock(LockReason.EMAIL_CHANGED, PreviousContact.email(details.get(Details.PREVIOUS_EMAIL))));
                }
                if (changed(details, TillitAttributes.PHONE_NUMBER, TillitEvents.PREVIOUS_PHONE_NUMBER,
                        TillitEvents.UPDATED_PHONE_NUMBER)) {
                    // phone_number is admin-only in the user profile; if a flow ever lets the user
                    // change it, only a verified change can have happened, so the old number was proved.
                    locks.add(new Lock(LockReason.PHONE_CHANGED,
                            PreviousContact.phone(details.get(TillitEvents.PREVIOUS_PHONE_NUMBER), true)));
                }
            }
            default -> {
            }
        }
        return locks;
    }

    private static boolean changed(Map<String, String> details, String attribute, String previousKey, String updatedKey) {
        if (!details.containsKey(previousKey) && !details.containsKey(updatedKey)) {
            return false;
        }
        String before = details.get(previousKey);
        String after = details.get(updatedKey);
        return !ContactChangeValidator.same(attribute, before, after);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getError() != null || event.getResourcePath() == null) {
            return;
        }
        String path = event.getResourcePath();
        Matcher reset = ADMIN_RESET.matcher(path);
        if (event.getOperationType() == OperationType.ACTION && reset.matches()) {
            lock(event.getRealmId(), reset.group(1), new Lock(LockReason.PASSWORD_RESET, PreviousContact.NONE));
            return;
        }
        Matcher link = ADMIN_LINK.matcher(path);
        if (event.getOperationType() == OperationType.CREATE && link.matches()) {
            // POST users/{id}/federated-identity/{alias}: an admin linked an identity; no session of the user's did.
            lock(event.getRealmId(), link.group(1), Lock.linked(link.group(2), null));
            return;
        }
        Matcher credential = ADMIN_CREDENTIAL.matcher(path);
        if (credential.matches() && removesSecondFactor(event)) {
            lock(event.getRealmId(), credential.group(1), new Lock(LockReason.SECOND_FACTOR_REMOVED, PreviousContact.NONE));
            return;
        }
        Matcher user = ADMIN_USER.matcher(path);
        if (event.getOperationType() == OperationType.CREATE && user.matches()) {
            showLockAsDate(event.getRealmId(), user.group(1));
        }
        if (event.getOperationType() == OperationType.UPDATE && user.matches()) {
            showLockAsDate(event.getRealmId(), user.group(1));
            adminUserUpdated(event.getRealmId(), user.group(1));
        }
        // PUT users/{id}/disable-credential-types sends no admin event in 26.7:
        // SecondFactorDisableWatch locks for it.
    }

    /** An admin wrote the user, perhaps the lock's epoch value (e.g. deleted it to lift the lock): keep its date in line. */
    private void showLockAsDate(String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        if (user != null) {
            WithdrawalLock.showAsDate(user);
        }
    }

    /**
     * The admin console's "Delete" of a credential ({@code DELETE users/{id}/credentials/{id}}).
     * Keycloak 26.7 reports it as operation {@code ACTION} (not {@code DELETE}) with the credential's
     * type in the details; both are accepted. A type outside the second factors (a password) does
     * not lock; an event without the type (another version) locks, the safe side.
     */
    static boolean removesSecondFactor(AdminEvent event) {
        if (event.getOperationType() != OperationType.DELETE && event.getOperationType() != OperationType.ACTION) {
            return false;
        }
        String type = event.getDetails() == null ? null : event.getDetails().get(Details.CREDENTIAL_TYPE);
        return type == null || SECOND_FACTORS.contains(type);
    }

    /**
     * The admin API changed a user. Its admin event has only the new representation, so the
     * previous email / number come from {@link ContactChangeValidator}, which saw them earlier in
     * this same request (same session) while the user profile was validated.
     */
    private void adminUserUpdated(String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            return;
        }
        PreviousContact email = ContactChangeValidator.changed(session, user, UserModel.EMAIL);
        PreviousContact phone = ContactChangeValidator.changed(session, user, TillitAttributes.PHONE_NUMBER);
        // First the SMS factor follows the number (an admin-set number is unverified), so that the
        // lock notices below go to the previous, proved number and not to the new one.
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection());
        for (AccountChangeHook hook : session.getAllProviders(AccountChangeHook.class)) {
            hook.afterAdminUpdate(realm, user, phone != null, event);
            // Likewise an admin-set email address is unproved: no email factor, no codes there.
            if (email != null) {
                hook.afterAdminEmailUpdate(realm, user, email.email(), event);
            }
        }
        if (email != null) {
            lock(realmId, userId, new Lock(LockReason.EMAIL_CHANGED, email));
        }
        if (phone != null) {
            lock(realmId, userId, new Lock(LockReason.PHONE_CHANGED, phone));
        }
    }

    private void lock(String realmId, String userId, Lock lock) {
        KeycloakTransactionManager tx = session.getTransactionManager();
        if (tx.isActive() && !tx.getRollbackOnly()) {
            // The normal case: same session, same transaction as the change itself.
            lockIn(session, realmId, userId, lock);
            return;
        }
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        KeycloakModelUtils.runJobInTransaction(factory, s -> lockIn(s, realmId, userId, lock));
    }

    private void lockIn(KeycloakSession s, String realmId, String userId, Lock lock) {
        RealmModel realm = s.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        RealmModel previousRealm = s.getContext().getRealm();
        s.getContext().setRealm(realm);
        try {
            UserModel user = s.users().getUserById(realm, userId);
            EventBuilder event = new EventBuilder(realm, s, session.getContext().getConnection());
            if (user != null && lock.alias() != null) {
                WithdrawalLock.identityLinked(s, realm, user, lock.alias(), lock.sessionId(), event);
            } else if (user != null) {
                WithdrawalLock.apply(s, realm, user, lock.reason(), lock.previous(), event);
            }
        } finally {
            if (s == session && previousRealm != null) {
                s.getContext().setRealm(previousRealm);
            }
        }
    }

    @Override
    public void close() {
    }
}
