package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import dev.tillit.keycloak.code.CodeDelivery;
import dev.tillit.keycloak.code.DeliveryFailedException;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The withdrawal lock: {@code withdrawal_locked_until} (epoch seconds, UTC) on the user, read by
 * the exchange from the token claim of the same name. Applying it never shortens an existing lock.
 */
public final class WithdrawalLock {

    public static final String ATTRIBUTE = TillitAttributes.WITHDRAWAL_LOCKED_UNTIL;
    private static final Logger LOG = Logger.getLogger(WithdrawalLock.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private WithdrawalLock() {
    }

    /** {@code 2026-11-26 18:40 UTC}: how notices and pages state the lock's end. */
    public static String format(long epochSeconds) {
        return WHEN.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    }

    /** The lock's end when it lies in the future, else null. */
    public static Long activeUntil(UserModel user) {
        String value = user.getFirstAttribute(ATTRIBUTE);
        if (value == null) {
            return null;
        }
        try {
            long until = Long.parseLong(value.trim());
            return until > Time.currentTime() ? until : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Locks withdrawals for {@code reason}'s duration, emits {@code tillit_event=withdrawal_locked}
     * and, after a password change, tells the user by email and (verified phone) SMS.
     */
    public static long apply(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason, EventBuilder event) {
        TillitSettings settings = TillitSettings.of(realm);
        long until = Time.currentTime() + reason.duration(settings).toSeconds();
        Long existing = activeUntil(user);
        if (existing != null && existing >= until - 60) {
            // Already locked at least this long (one change can raise several events): nothing new to say.
            return existing;
        }
        user.setSingleAttribute(ATTRIBUTE, Long.toString(until));
        event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(TillitEvents.DETAIL, TillitEvents.WITHDRAWAL_LOCKED)
                .detail("reason", reason.detail())
                .detail(ATTRIBUTE, Long.toString(until))
                .success();
        notifyUser(session, realm, user, reason, until, settings);
        return until;
    }

    private static void notifyUser(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason,
                                   long until, TillitSettings settings) {
        String when = format(until);
        String what = switch (reason) {
            case PASSWORD_CHANGED -> "tillitLockReasonPassword";
            case SECOND_FACTOR_REMOVED -> "tillitLockReasonSecondFactor";
            case IDENTIFIER_CHANGED -> "tillitLockReasonIdentifier";
        };
        CodeDelivery delivery = new CodeDelivery(session, realm, settings);
        if (user.getEmail() != null) {
            try {
                delivery.email(user.getEmail(), user, "tillitLockNoticeSubject", "tillit-withdrawal-lock.ftl",
                        Map.of("lockedUntil", when, "reasonKey", what));
            } catch (DeliveryFailedException e) {
                LOG.warnf("Withdrawal-lock notice mail to user %s failed: %s", user.getId(), e.getMessage());
            }
        }
        String phone = user.getFirstAttribute(TillitAttributes.PHONE_NUMBER);
        if (phone != null && Boolean.parseBoolean(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED))) {
            try {
                delivery.sms(phone, user, "tillitSmsLockNotice", when);
            } catch (DeliveryFailedException e) {
                LOG.warnf("Withdrawal-lock notice SMS to user %s failed: %s", user.getId(), e.getMessage());
            }
        }
    }
}
