package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.TillitEvents;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.code.OneTimeCodes;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Turns security-relevant events into withdrawal locks, whatever path produced them. Keycloak
 * hands events to listeners after the request's transaction, so the lock is written in a
 * transaction of its own.
 */
public class WithdrawalLockEventListener implements EventListenerProvider {

    private static final Set<String> SECOND_FACTORS = Set.of("otp", "totp", "hotp", "webauthn", "webauthn-passwordless",
            "tillit-sms-otp", "tillit-email-otp");
    private static final Pattern ADMIN_RESET = Pattern.compile("^users/([^/]+)/reset-password$");
    private static final Pattern ADMIN_CREDENTIAL = Pattern.compile("^users/([^/]+)/credentials/[^/]+$");

    private final KeycloakSession session;

    WithdrawalLockEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getError() != null || event.getUserId() == null) {
            return;
        }
        LockReason reason = reasonFor(event.getType(), event.getDetails() == null ? Map.of() : event.getDetails());
        if (reason != null) {
            lock(event.getRealmId(), event.getUserId(), reason);
        }
    }

    static LockReason reasonFor(EventType type, Map<String, String> details) {
        if (TillitEvents.PASSWORD_RESET.equals(details.get(TillitEvents.DETAIL))) {
            return null; // the reset step locked already, and told the user
        }
        String credentialType = details.get(Details.CREDENTIAL_TYPE);
        return switch (type) {
            case UPDATE_PASSWORD, RESET_PASSWORD -> LockReason.PASSWORD_CHANGED;
            case UPDATE_CREDENTIAL -> "password".equals(credentialType) ? LockReason.PASSWORD_CHANGED : null;
            case REMOVE_TOTP -> LockReason.SECOND_FACTOR_REMOVED;
            case REMOVE_CREDENTIAL -> credentialType != null && SECOND_FACTORS.contains(credentialType)
                    ? LockReason.SECOND_FACTOR_REMOVED : null;
            case UPDATE_EMAIL -> LockReason.IDENTIFIER_CHANGED;
            case UPDATE_PROFILE -> details.containsKey(Details.UPDATED_EMAIL) ? LockReason.IDENTIFIER_CHANGED : null;
            default -> "phone_changed".equals(details.get(TillitEvents.DETAIL)) ? LockReason.IDENTIFIER_CHANGED : null;
        };
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getError() != null || event.getResourcePath() == null) {
            return;
        }
        Matcher reset = ADMIN_RESET.matcher(event.getResourcePath());
        if (event.getOperationType() == OperationType.ACTION && reset.matches()) {
            lock(event.getRealmId(), reset.group(1), LockReason.PASSWORD_CHANGED);
            return;
        }
        Matcher credential = ADMIN_CREDENTIAL.matcher(event.getResourcePath());
        if (event.getOperationType() == OperationType.DELETE && credential.matches()) {
            lock(event.getRealmId(), credential.group(1), LockReason.SECOND_FACTOR_REMOVED);
        }
    }

    private void lock(String realmId, String userId, LockReason reason) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null) {
                return;
            }
            s.getContext().setRealm(realm);
            UserModel user = s.users().getUserById(realm, userId);
            if (user != null) {
                WithdrawalLock.apply(s, realm, user, reason, new EventBuilder(realm, s, session.getContext().getConnection()));
            }
        });
    }

    @Override
    public void close() {
    }
}
