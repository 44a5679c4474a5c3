package dev.tillit.keycloak.code;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one-time-code engine every Tillit step uses (registration, 2FA, reset): issues 6-digit
 * codes from a CSPRNG, keeps only their salted hash in the auth session, bounds their lifetime
 * and wrong attempts, enforces the resend cooldown and the hourly send limits, and delivers
 * them by SMS or mail. One instance per request; all state lives in Keycloak's stores.
 */
public class OneTimeCodes {

    public static final String EVENT_DETAIL = "tillit_event";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationSessionModel authSession;
    private final TillitSettings settings;
    private final EventBuilder event;
    private final CodeDelivery delivery;
    private final SecureRandom random = new SecureRandom();

    public OneTimeCodes(KeycloakSession session, AuthenticationSessionModel authSession, EventBuilder event) {
        this.session = session;
        this.realm = authSession.getRealm();
        this.authSession = authSession;
        this.settings = TillitSettings.of(realm);
        this.event = event;
        this.delivery = new CodeDelivery(session, realm, settings);
    }

    public TillitSettings settings() {
        return settings;
    }

    /**
     * Issues a new code for {@code purpose} and delivers it to {@code target} (E.164 number or
     * email address). {@code user} is the account the code is for, or null before it exists.
     */
    public SendResult send(String purpose, CodeChannel channel, String target, UserModel user) {
        return deliver(purpose, channel, target, (code, minutes) -> {
            if (channel == CodeChannel.SMS) {
                delivery.sms(target, user, "tillitSmsCode", code, minutes);
            } else {
                delivery.email(target, user, "tillitEmailCodeSubject", "tillit-code.ftl",
                        Map.of("code", code, "minutes", minutes));
            }
        }, true);
    }

    /**
     * Behaves towards the person at the keyboard exactly like {@link #send} (same limits, same
     * cooldown, same page afterwards) but issues no code: instead {@code notice} goes to the
     * recipient. Used when revealing that an account exists would be a leak, e.g. sign-up with
     * an identifier that is taken. Entering any code afterwards fails like a wrong code.
     */
    public SendResult sendNoticeInsteadOfCode(String purpose, CodeChannel channel, String target, UserModel owner,
                                              String smsKey, String emailSubjectKey, String emailTemplate) {
        return deliver(purpose, channel, target, (code, minutes) -> {
            if (channel == CodeChannel.SMS) {
                delivery.sms(target, owner, smsKey);
            } else {
                delivery.email(target, owner, emailSubjectKey, emailTemplate, Map.of());
            }
        }, false);
    }

    /**
     * Goes through every check of {@link #send} (cooldown, country, hourly limits) and records a
     * "sent" code, but delivers nothing and issues no code. For identifiers with no account where
     * even a notice would be wrong (password reset): the limits and answers stay identical.
     */
    public SendResult pretendSend(String purpose, CodeChannel channel, String target) {
        return deliver(purpose, channel, target, (code, minutes) -> { }, false);
    }

    public VerifyResult verify(String purpose, String input) {
        PendingCode pending = new PendingCode(authSession, purpose);
        if (!pending.exists()) {
            return VerifyResult.NONE_PENDING;
        }
        if (Time.currentTime() > pending.expiresAt()) {
            pending.clearCode();
            fire("code_expired", purpose, pending, false);
            return VerifyResult.EXPIRED;
        }
        if (pending.attempts() >= settings.codeMaxAttempts()) {
            pending.clearCode();
            return VerifyResult.TOO_MANY_ATTEMPTS;
        }
        String cleaned = input == null ? "" : input.replaceAll("[\\s-]", "");
        boolean wellFormed = cleaned.matches("[0-9]{6}");
        if (pending.hash() != null && wellFormed && CodeHasher.matches(cleaned, pending.salt(), pending.hash())) {
            pending.clearAll();
            fire("code_verified", purpose, pending, true);
            return VerifyResult.VALID;
        }
        int attempts = pending.attempts() + 1;
        pending.attempts(attempts);
        fire("code_failed", purpose, pending, false);
        if (attempts >= settings.codeMaxAttempts()) {
            pending.clearCode();
            return VerifyResult.TOO_MANY_ATTEMPTS;
        }
        return VerifyResult.INVALID;
    }

    /** Seconds before another code may be sent for this step; 0 when it may be sent now. */
    public long secondsUntilResend(String purpose) {
        PendingCode pending = new PendingCode(authSession, purpose);
        if (!pending.exists()) {
            return 0;
        }
        long next = pending.sentAt() + settings.resendCooldown().toSeconds();
        return Math.max(0, next - Time.currentTime());
    }

    /** Whom the pending code for this step went to (E.164 or email), or null. */
    public String pendingTarget(String purpose) {
        return new PendingCode(authSession, purpose).target();
    }

    public CodeChannel pendingChannel(String purpose) {
        return new PendingCode(authSession, purpose).channel();
    }

    public void forget(String purpose) {
        new PendingCode(authSession, purpose).clearAll();
    }

    private SendResult deliver(String purpose, CodeChannel channel, String target, Delivery delivery, boolean issueCode) {
        PendingCode pending = new PendingCode(authSession, purpose);
        if (secondsUntilResend(purpose) > 0) {
            return SendResult.COOLDOWN;
        }
        if (channel == CodeChannel.SMS && !smsAllowedTo(target)) {
            fireFailure("code_country_blocked", purpose, channel, null);
            return SendResult.COUNTRY_NOT_ALLOWED;
        }
        SendLimiter.Reservation reservation = new SendLimiter(session, realm).reserve(counters(channel, target));
        if (reservation == null) {
            fireFailure("code_send_limited", purpose, channel, null);
            return SendResult.LIMITED;
        }
        String code = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
        long minutes = Math.max(1, settings.codeLifetime().toMinutes());
        try {
            delivery.deliver(code, minutes);
        } catch (DeliveryFailedException e) {
            reservation.release();
            fireFailure("code_delivery_failed", purpose, channel, e.getMessage());
            return SendResult.DELIVERY_FAILED;
        }
        long now = Time.currentTime();
        long expiresAt = now + settings.codeLifetime().toSeconds();
        if (issueCode) {
            String salt = CodeHasher.newSalt(random);
            pending.store(CodeHasher.hash(code, salt), salt, expiresAt, channel, target, now);
        } else {
            pending.storeDecoy(channel, target, now, expiresAt);
        }
        fire("code_sent", purpose, pending, true);
        return SendResult.SENT;
    }

    private List<SendLimiter.Counter> counters(CodeChannel channel, String target) {
        List<SendLimiter.Counter> counters = new ArrayList<>();
        counters.add(new SendLimiter.Counter(channel.name().toLowerCase(Locale.ROOT),
                target.toLowerCase(Locale.ROOT), settings.sendsPerIdentifierPerHour()));
        String ip = session.getContext().getConnection() == null ? null : session.getContext().getConnection().getRemoteAddr();
        if (ip != null) {
            counters.add(new SendLimiter.Counter("ip", ip, settings.sendsPerIpPerHour()));
        }
        return counters;
    }

    private boolean smsAllowedTo(String e164) {
        String region = dev.tillit.keycloak.phone.PhoneNumbers.parse(e164, "ZZ").regionCode();
        return region != null && settings.smsAllowedCountries().contains(region);
    }

    private void fire(String what, String purpose, PendingCode pending, boolean success) {
        EventBuilder e = event.clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(EVENT_DETAIL, what)
                .detail("purpose", purpose);
        if (pending.channel() != null) {
            e.detail("channel", pending.channel().name().toLowerCase(Locale.ROOT));
        }
        if (success) {
            e.success();
        } else {
            e.error(what);
        }
    }

    private void fireFailure(String what, String purpose, CodeChannel channel, String reason) {
        EventBuilder e = event.clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(EVENT_DETAIL, what)
                .detail("purpose", purpose)
                .detail("channel", channel.name().toLowerCase(Locale.ROOT));
        if (reason != null) {
            // For the operator: which gateway failed and how (never contains the secret or the code).
            e.detail(org.keycloak.events.Details.REASON, reason);
        }
        e.error(what);
    }

    @FunctionalInterface
    private interface Delivery {
        void deliver(String code, long minutes) throws DeliveryFailedException;
    }
}
