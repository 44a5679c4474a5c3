package dev.tillit.keycloak.code;

import dev.tillit.keycloak.TillitMessages;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.phone.PhoneNumbers;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one-time-code engine every Tillit step uses (sign-up, reset, second factors): issues
 * 6-digit codes bound to one purpose, account and recipient (derived from a random nonce and the
 * realm's key, {@link CodeDerivation}), keeps only their salted hash and the nonce in the auth
 * session (never the code), sends the same code again when asked within its lifetime, and bounds everything an attacker could repeat — wrong
 * attempts per code and per account a day (atomically, across tabs and nodes), sends per
 * recipient, per client network, per realm and per country. One instance per request; all
 * state lives in Keycloak's stores.
 */
public class OneTimeCodes {

    private static final Logger LOG = Logger.getLogger(OneTimeCodes.class);
    private static final long HOUR = 3600;
    /** Keycloak's managed thread pool for deliveries that must not hold the answer up. */
    private static final String EXECUTOR = "tillit-code-delivery";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CodeNotes notes;
    private final TillitSettings settings;
    private final EventBuilder event;
    private final CodeDelivery delivery;
    private final GuessingBudget budget;
    private final CodeDerivation derivation;
    private final SecureRandom random = new SecureRandom();

    public OneTimeCodes(KeycloakSession session, AuthenticationSessionModel authSession, EventBuilder event) {
        this(session, authSession.getRealm(), CodeNotes.of(authSession), event);
    }

    /** An engine whose pending codes live in {@code notes} (the password grant's two-step exchange). */
    public OneTimeCodes(KeycloakSession session, RealmModel realm, CodeNotes notes, EventBuilder event) {
        this.session = session;
        this.realm = realm;
        this.notes = notes;
        this.settings = TillitSettings.of(realm);
        this.event = event;
        this.delivery = new CodeDelivery(session, realm, settings);
        this.derivation = new CodeDerivation(session, realm);
        this.budget = new GuessingBudget(session, realm, settings.wrongCodesPerDay(), settings.guessingPause(),
                settings.guessingPauseMax());
    }

    public TillitSettings settings() {
        return settings;
    }

    /** What goes out instead of a code for {@link CodeRecipient.Delivery#NOTICE}: an SMS text key, or a mail. */
    public record Notice(String smsKey, String emailSubjectKey, String emailTemplate) {
    }

    /**
     * Sends a code for {@code purpose} to {@code recipient} (or the notice, or nothing for a
     * decoy — the motions and limits are the same). While the step's code for this very
     * recipient is still alive, the same code goes out again ({@link SendResult#SENT_AGAIN}):
     * messages arrive late and out of order, and whichever arrives must work. Its expiry, its
     * attempts and the guessing budget stay as they were, so asking again buys no time and no
     * guesses. Otherwise a new code is issued ({@link SendResult#SENT}) and replaces any earlier
     * one — but only when it was really issued. The cooldown and every send limit apply to both.
     *
     * @param inBackground hand the message to the gateway on another thread, so neither the
     *                     gateway's latency nor its failure shows in the answer
     */
    public SendResult send(String purpose, CodeRecipient recipient, Notice notice, boolean inBackground) {
        PendingCode pending = new PendingCode(notes, purpose);
        if (secondsUntilResend(purpose) > 0) {
            return SendResult.COOLDOWN;
        }
        if (budget.pausedUntil(purpose, recipient.guessSubjects()) > Time.currentTime()) {
            fireFailure(TillitEvents.CODE_GUESSING_PAUSED, purpose, recipient.channel(), "send refused during pause");
            return SendResult.PAUSED;
        }
        String country = recipient.channel() == CodeChannel.SMS ? countryOf(recipient.target()) : null;
        if (recipient.channel() == CodeChannel.SMS && country == null) {
            fireFailure(TillitEvents.CODE_COUNTRY_BLOCKED, purpose, recipient.channel(), null);
            return SendResult.COUNTRY_NOT_ALLOWED;
        }
        SendLimiter.Reservation reservation = new SendLimiter(session, realm).reserve(counters(purpose, recipient, country));
        if (!reservation.granted()) {
            // For the operator: which budget ran out (never the recipient).
            fireFailure(TillitEvents.CODE_SEND_LIMITED, purpose, recipient.channel(), reservation.exhausted().kind());
            return SendResult.LIMITED;
        }
        long now = Time.currentTime();
        String binding = CodeHasher.binding(purpose, recipient);
        String code = repeatableCode(pending, recipient, binding, now);
        boolean again = code != null;
        CodeDerivation.Seed seed = null;
        if (!again) {
            Issued issued = newCode(pending, binding);
            code = issued.code();
            seed = issued.seed();
        }
        long expiresAt = again ? pending.expiresAt() : now + settings.codeLifetime().toSeconds();
        RenderedMessage message;
        try {
            message = render(recipient, code, notice, Math.max(1, (expiresAt - now + 59) / 60));
        } catch (DeliveryFailedException e) {
            reservation.release();
            fireFailure(TillitEvents.CODE_DELIVERY_FAILED, purpose, recipient.channel(), e.getMessage());
            return SendResult.DELIVERY_FAILED;
        }
        if (message != null && inBackground) {
            sendInBackground(purpose, recipient.channel(), message, reservation.keys());
        } else if (message != null) {
            try {
                CodeDelivery.send(session, realm, message);
            } catch (DeliveryFailedException e) {
                reservation.release();
                fireFailure(TillitEvents.CODE_DELIVERY_FAILED, purpose, recipient.channel(), e.getMessage());
                return SendResult.DELIVERY_FAILED;
            }
        }
        if (again) {
            pending.resent(now);
            codeEvent(TillitEvents.CODE_SENT, purpose, recipient.channel()).detail(TillitEvents.CODE_REPEATED, "true").success();
            return SendResult.SENT_AGAIN;
        }
        String salt = CodeHasher.newSalt(random);
        // Decoys and notices get a real, never-delivered code: verifying runs the same path.
        pending.store(newId(), CodeHasher.hash(code, salt, binding), salt, expiresAt, recipient, now, seed);
        fire(TillitEvents.CODE_SENT, purpose, recipient.channel(), true);
        return SendResult.SENT;
    }

    /**
     * The live code of this step, derived again, when it was issued for exactly {@code recipient};
     * else null. The recomputed code is checked against the stored hash, so a seed that no longer
     * yields it (a rotated-out key) means a new code rather than a wrong one.
     */
    private String repeatableCode(PendingCode pending, CodeRecipient recipient, String binding, long now) {
        CodeDerivation.Seed seed = pending.seed();
        if (!pending.exists() || seed == null || !recipient.equals(pending.recipient()) || now > pending.expiresAt()) {
            return null;
        }
        String code = derivation.code(seed, binding);
        return code != null && CodeHasher.matches(code, pending.salt(), binding, pending.hash()) ? code : null;
    }

    /** The outcome of entering a code, and (when valid) the recipient it was bound to. */
    public record Verification(VerifyResult result, CodeRecipient recipient) {
        public boolean valid() {
            return result == VerifyResult.VALID;
        }
    }

    /**
     * Checks {@code input} against the pending code of {@code purpose}. Every entry takes one
     * attempt slot atomically before it is compared, so parallel submissions cannot share one; a
     * wrong entry also spends the account's and the recipient's daily budget.
     */
    public Verification verify(String purpose, String input) {
        PendingCode pending = new PendingCode(notes, purpose);
        CodeRecipient recipient = pending.recipient();
        if (!pending.exists() || recipient == null) {
            VerifyResult dead = pending.deadBecause();
            return new Verification(dead == null ? VerifyResult.NONE_PENDING : dead, recipient);
        }
        if (budget.pausedUntil(purpose, recipient.guessSubjects()) > Time.currentTime()) {
            pending.kill(VerifyResult.PAUSED);
            return new Verification(VerifyResult.PAUSED, recipient);
        }
        if (Time.currentTime() > pending.expiresAt()) {
            pending.kill(VerifyResult.EXPIRED);
            fire(TillitEvents.CODE_EXPIRED, purpose, recipient.channel(), false);
            return new Verification(VerifyResult.EXPIRED, recipient);
        }
        int attempt = takeAttempt(pending.id());
        if (attempt < 0) {
            pending.kill(VerifyResult.TOO_MANY_ATTEMPTS);
            fire(TillitEvents.CODE_TOO_MANY_ATTEMPTS, purpose, recipient.channel(), false);
            return new Verification(VerifyResult.TOO_MANY_ATTEMPTS, recipient);
        }
        String cleaned = input == null ? "" : input.replaceAll("[\\s-]", "");
        if (cleaned.matches("[0-9]{6}")
                && CodeHasher.matches(cleaned, pending.salt(), CodeHasher.binding(purpose, recipient), pending.hash())) {
            // Single use even against a parallel request carrying the same right code.
            if (!session.singleUseObjects().putIfAbsent("tillit:code-used:" + realm.getId() + ":" + pending.id(),
                    settings.codeLifetime().toSeconds() + 60)) {
                return new Verification(VerifyResult.NONE_PENDING, recipient);
            }
            pending.discard();
            fire(TillitEvents.CODE_VERIFIED, purpose, recipient.channel(), true);
            return new Verification(VerifyResult.VALID, recipient);
        }
        fire(TillitEvents.CODE_FAILED, purpose, recipient.channel(), false);
        if (budget.spend(purpose, recipient.guessSubjects()) > 0) {
            pending.kill(VerifyResult.PAUSED);
            fireFailure(TillitEvents.CODE_GUESSING_PAUSED, purpose, recipient.channel(), "wrong-code budget spent");
            return new Verification(VerifyResult.PAUSED, recipient);
        }
        if (attempt + 1 >= settings.codeMaxAttempts()) {
            pending.kill(VerifyResult.TOO_MANY_ATTEMPTS);
            fire(TillitEvents.CODE_TOO_MANY_ATTEMPTS, purpose, recipient.channel(), false);
            return new Verification(VerifyResult.TOO_MANY_ATTEMPTS, recipient);
        }
        return new Verification(VerifyResult.INVALID, recipient);
    }

    /** Seconds before another code may be sent for this step; 0 when it may be sent now. */
    public long secondsUntilResend(String purpose) {
        long sent = new PendingCode(notes, purpose).sentAt();
        if (sent == 0) {
            return 0;
        }
        return Math.max(0, sent + settings.resendCooldown().toSeconds() - Time.currentTime());
    }

    /** Seconds until new codes may be issued again for a recipient whose guessing budget is spent. */
    public long secondsPaused(String purpose, CodeRecipient recipient) {
        return Math.max(0, budget.pausedUntil(purpose, recipient.guessSubjects()) - Time.currentTime());
    }

    /** True while the step has a code that may still be entered (issued, not used, killed or expired). */
    public boolean hasLiveCode(String purpose) {
        PendingCode pending = new PendingCode(notes, purpose);
        return pending.exists() && Time.currentTime() <= pending.expiresAt();
    }

    /** The recipient of the step's pending (or last killed) code, or null. */
    public CodeRecipient pendingRecipient(String purpose) {
        return new PendingCode(notes, purpose).recipient();
    }

    /** "Use another email or number": voids the pending code, and says so when there was one. */
    public void restart(String purpose) {
        CodeRecipient recipient = pendingRecipient(purpose);
        discard(purpose);
        if (recipient != null) {
            fire(TillitEvents.CODE_STEP_RESTARTED, purpose, recipient.channel(), true);
        }
    }

    /** Voids the step's pending code and its binding (the resend cooldown stays). */
    public void discard(String purpose) {
        new PendingCode(notes, purpose).discard();
    }

    /** {@code minutes}: how long the code has left, rounded up (a code sent again has less than its full lifetime). */
    private RenderedMessage render(CodeRecipient recipient, String code, Notice notice, long minutes)
            throws DeliveryFailedException {
        UserModel user = recipient.userId() == null ? null : session.users().getUserById(realm, recipient.userId());
        return switch (recipient.delivery()) {
            case DECOY -> null;
            case CODE -> recipient.channel() == CodeChannel.SMS
                    ? delivery.renderSms(recipient.target(), user, TillitMessages.SMS_CODE, code, minutes)
                    : delivery.renderEmail(recipient.target(), user, TillitMessages.EMAIL_CODE_SUBJECT, "tillit-code.ftl",
                            Map.of("code", code, "minutes", minutes));
            case NOTICE -> recipient.channel() == CodeChannel.SMS
                    ? delivery.renderSms(recipient.target(), user, notice.smsKey())
                    : delivery.renderEmail(recipient.target(), user, notice.emailSubjectKey(), notice.emailTemplate(), Map.of());
        };
    }

    /**
     * Delivers on Keycloak's managed pool in a session of its own. A failure hands the send-limit
     * slots back and is recorded as an event for the operator; the person at the keyboard was
     * already told "if an account exists, a code is on its way" and may ask again after the cooldown.
     */
    private void sendInBackground(String purpose, CodeChannel channel, RenderedMessage message, List<String> slots) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        ClientConnection connection = session.getContext().getConnection();
        Runnable job = () -> KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel r = s.realms().getRealm(realmId);
            s.getContext().setRealm(r);
            try {
                CodeDelivery.send(s, r, message);
            } catch (DeliveryFailedException e) {
                slots.forEach(s.singleUseObjects()::remove);
                new EventBuilder(r, s, connection).event(EventType.CUSTOM_REQUIRED_ACTION)
                        .detail(TillitEvents.DETAIL, TillitEvents.CODE_DELIVERY_FAILED)
                        .detail(TillitEvents.PURPOSE, purpose)
                        .detail(TillitEvents.CHANNEL, channel.name().toLowerCase(Locale.ROOT))
                        .detail(Details.REASON, e.getMessage())
                        .error(TillitEvents.CODE_DELIVERY_FAILED);
            }
        });
        try {
            session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR).execute(job);
        } catch (RejectedExecutionException e) {
            LOG.warnf("Delivery pool full for realm %s; delivering on the request thread", realm.getName());
            job.run();
        }
    }

    /** {@code country}: the SMS recipient's allowed country (null for mail). */
    private List<SendLimiter.Counter> counters(String purpose, CodeRecipient recipient, String country) {
        List<SendLimiter.Counter> counters = new ArrayList<>();
        String channel = recipient.channel().name().toLowerCase(Locale.ROOT);
        // Per purpose: strangers spending the sign-up budget of a number leave its owner's reset alone.
        counters.add(new SendLimiter.Counter(channel + ":" + purpose, recipient.target().toLowerCase(Locale.ROOT),
                settings.sendsPerIdentifierPerHour(), HOUR));
        String network = ClientAddress.of(session.getContext().getConnection());
        if (network != null) {
            counters.add(new SendLimiter.Counter("ip", network, settings.sendsPerIpPerHour(), HOUR));
        }
        if (recipient.channel() == CodeChannel.SMS) {
            // SMS pumping: whatever the spread of numbers and addresses, the realm's bill is bounded.
            counters.add(new SendLimiter.Counter("sms-realm", "all", settings.smsPerRealmPerHour(), HOUR));
            counters.add(new SendLimiter.Counter("sms-country", country, settings.smsPerCountryPerHour(), HOUR));
        }
        return counters;
    }

    /** The number's country when SMS may go there, else null. */
    private String countryOf(String e164) {
        String region = PhoneNumbers.parse(e164, "ZZ").regionCode();
        return region != null && settings.smsAllowedCountries().contains(region) ? region : null;
    }

    /** Takes the next free attempt slot of a code (0-based), or -1 when all are spent. */
    private int takeAttempt(String codeId) {
        String prefix = "tillit:attempt:" + realm.getId() + ":" + codeId + ":";
        long lifespan = settings.codeLifetime().toSeconds() + 60;
        for (int i = 0; i < settings.codeMaxAttempts(); i++) {
            if (session.singleUseObjects().putIfAbsent(prefix + i, lifespan)) {
                return i;
            }
        }
        return -1;
    }

    /** A new code and the seed it derives from (null seed: the realm has no HMAC key, the code is random). */
    private record Issued(String code, CodeDerivation.Seed seed) {
    }

    /**
     * A fresh code, never equal to a live one it replaces: "earlier codes no longer work" must
     * hold even in the one-in-a-million case where the draw repeats (then a new nonce is drawn).
     */
    private Issued newCode(PendingCode pending, String binding) {
        while (true) {
            CodeDerivation.Seed seed = derivation.newSeed(random);
            String code = seed == null ? null : derivation.code(seed, binding);
            if (code == null) {
                seed = null;
                code = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
            }
            boolean repeatsLive = pending.exists() && pending.salt() != null
                    && CodeHasher.matches(code, pending.salt(), binding, pending.hash());
            if (!repeatsLive) {
                return new Issued(code, seed);
            }
        }
    }

    private String newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private void fire(String what, String purpose, CodeChannel channel, boolean success) {
        EventBuilder e = codeEvent(what, purpose, channel);
        if (success) {
            e.success();
        } else {
            e.error(what);
        }
    }

    private void fireFailure(String what, String purpose, CodeChannel channel, String reason) {
        EventBuilder e = codeEvent(what, purpose, channel);
        if (reason != null) {
            // For the operator: which gateway or budget failed and how (never the secret or the code).
            e.detail(Details.REASON, reason);
        }
        e.error(what);
    }

    private EventBuilder codeEvent(String what, String purpose, CodeChannel channel) {
        return event.clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(TillitEvents.DETAIL, what)
                .detail(TillitEvents.PURPOSE, purpose)
                .detail(TillitEvents.CHANNEL, channel.name().toLowerCase(Locale.ROOT));
    }
}
