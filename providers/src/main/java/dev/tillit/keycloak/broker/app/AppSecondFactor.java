package dev.tillit.keycloak.broker.app;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.tillit.keycloak.code.CodeNotes;
import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.code.SendResult;
import dev.tillit.keycloak.code.VerifyResult;
import dev.tillit.keycloak.mfa.ContactFactor;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * The second step of the app's native sign-in ({@link AppSignInResource}) for an account with a second
 * factor: what the app can answer (an authenticator app's code, an SMS or email code), the pending sign-in
 * behind an {@code mfa_token}, and the check of the code.
 *
 * <p>The pending sign-in lives in Keycloak's cluster-wide single-use store under 256 random bits: the
 * account, the client, the provider and its subject, the scope asked for, the factor in use, its expiry,
 * and (for SMS and email) the code engine's notes. It is bound to the account, the client and the
 * provider; it lives as long as a code (the Tillit tab's code lifetime); it yields tokens once (removed
 * atomically before tokens are made); a wrong code spends one of the code's attempts and is a failed
 * sign-in for Keycloak's brute-force detection.
 */
final class AppSecondFactor {

    /** The factors the app can answer without a browser, in the order offered. */
    enum Factor {
        OTP("otp", OTPCredentialModel.TYPE, null),
        SMS("sms", ContactFactor.SMS.credentialType(), ContactFactor.SMS),
        EMAIL("email", ContactFactor.EMAIL.credentialType(), ContactFactor.EMAIL);

        final String channel;
        final String credentialType;
        final ContactFactor contact;

        Factor(String channel, String credentialType, ContactFactor contact) {
            this.channel = channel;
            this.credentialType = credentialType;
            this.contact = contact;
        }

        static Factor byChannel(String channel) {
            for (Factor factor : values()) {
                if (factor.channel.equalsIgnoreCase(channel == null ? "" : channel.trim())) {
                    return factor;
                }
            }
            return null;
        }
    }

    /** Every credential type that makes an account one "with a second factor". */
    static final Set<String> SECOND_FACTORS = Set.of(OTPCredentialModel.TYPE, ContactFactor.SMS.credentialType(),
            ContactFactor.EMAIL.credentialType(), WebAuthnCredentialModel.TYPE_TWOFACTOR, WebAuthnCredentialModel.TYPE_PASSWORDLESS,
            RecoveryAuthnCodesCredentialModel.TYPE);

    static final String USER = "user";
    static final String CLIENT = "client";
    static final String PROVIDER = "provider";
    static final String SUBJECT = "subject";
    static final String SCOPE = "scope";
    static final String FACTOR = "factor";
    static final String EXPIRES = "expires";
    static final String OTP_ATTEMPTS = "otpAttempts";
    private static final String KEY = "tillit:app-mfa:";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeycloakSession session;
    private final RealmModel realm;
    private final SingleUseObjectProvider store;

    AppSecondFactor(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.singleUseObjects();
    }

    static boolean hasSecondFactor(UserModel user) {
        return user.credentialManager().getStoredCredentialsStream().anyMatch(c -> SECOND_FACTORS.contains(c.getType()));
    }

    /** The factors of {@code user} the app can answer: an authenticator app; an SMS or email factor with its verified contact. */
    static List<Factor> answerable(UserModel user) {
        return java.util.Arrays.stream(Factor.values()).filter(f -> f == Factor.OTP
                ? user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE)
                : user.credentialManager().getStoredCredentialsByTypeStream(f.credentialType).findAny().isPresent()
                        && f.contact.verifiedContact(user) != null).toList();
    }

    /** A new pending sign-in (not yet stored). */
    Map<String, String> newPending(UserModel user, String clientId, String provider, String subject, String scope) {
        Map<String, String> pending = new LinkedHashMap<>();
        pending.put(USER, user.getId());
        pending.put(CLIENT, clientId);
        pending.put(PROVIDER, provider);
        pending.put(SUBJECT, subject);
        if (scope != null) {
            pending.put(SCOPE, scope);
        }
        return pending;
    }

    static String newHandle() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The pending sign-in of {@code handle}, or null when unknown, used, expired or of another client or provider. */
    Map<String, String> find(String handle, String clientId, String provider) {
        Map<String, String> stored = handle == null || handle.length() > 100 ? null : store.get(key(handle));
        if (stored == null || !clientId.equals(stored.get(CLIENT)) || !provider.equals(stored.get(PROVIDER))
                || Long.parseLong(stored.getOrDefault(EXPIRES, "0")) < Time.currentTime()) {
            return null;
        }
        return new LinkedHashMap<>(stored);
    }

    /** What choosing {@code factor} did: for SMS and email the engine's send result, for an authenticator app {@code null}. */
    record Started(Factor factor, SendResult sent, String sentTo, long expiresIn, long resendIn) {
    }

    /**
     * Puts {@code factor} in charge of the pending sign-in: an authenticator app needs nothing sent; an SMS or
     * email code goes out through the code engine (the sign-in factor's purpose: the browser's limits, cooldown
     * and guessing budget). Stores the pending sign-in under {@code handle} unless nothing could be sent.
     */
    Started start(String handle, Map<String, String> pending, UserModel user, Factor factor, EventBuilder event) {
        OneTimeCodes codes = new OneTimeCodes(session, realm, CodeNotes.of(pending), event);
        long now = Time.currentTime();
        Factor previous = pending.containsKey(FACTOR) ? Factor.valueOf(pending.get(FACTOR)) : null;
        if (previous != null && previous != factor && previous.contact != null) {
            codes.discard(previous.contact.signInPurpose());
        }
        pending.put(FACTOR, factor.name());
        if (factor.contact == null) {
            long expires = previous == Factor.OTP ? Long.parseLong(pending.get(EXPIRES)) : now + codes.settings().codeLifetime().toSeconds();
            pending.put(EXPIRES, Long.toString(expires));
            save(handle, pending);
            return new Started(factor, null, null, expires - now, 0);
        }
        String contact = factor.contact.verifiedContact(user);
        CodeRecipient recipient = CodeRecipient.account(factor.contact.channel(), contact, user.getId(),
                Masking.recipient(factor.contact.channel(), contact));
        String purpose = factor.contact.signInPurpose();
        SendResult sent = codes.send(purpose, recipient, null, false);
        boolean live = codes.hasLiveCode(purpose);
        if (!sent.issued() && !(sent == SendResult.COOLDOWN && live)) {
            return new Started(factor, sent, recipient.shown(), 0, codes.secondsUntilResend(purpose));
        }
        long expires = sent.issued() ? now + codes.settings().codeLifetime().toSeconds()
                : Long.parseLong(pending.getOrDefault(EXPIRES, Long.toString(now)));
        pending.put(EXPIRES, Long.toString(expires));
        save(handle, pending);
        return new Started(factor, sent, recipient.shown(), Math.max(0, expires - now), codes.secondsUntilResend(purpose));
    }

    /** The outcome of an entered code. */
    enum Outcome { VALID, WRONG, SPENT, NOT_VALID_ANY_MORE }

    /**
     * Checks {@code code} for the pending sign-in's factor. A right code removes the pending sign-in atomically
     * (so a parallel request with the same code gets {@link Outcome#NOT_VALID_ANY_MORE}); a wrong one keeps it
     * for the attempts that remain.
     */
    Outcome verify(String handle, Map<String, String> pending, UserModel user, String code, EventBuilder event) {
        Factor factor = Factor.valueOf(pending.get(FACTOR));
        boolean valid;
        boolean spent = false;
        if (factor == Factor.OTP) {
            int attempts = Integer.parseInt(pending.getOrDefault(OTP_ATTEMPTS, "0")) + 1;
            pending.put(OTP_ATTEMPTS, Integer.toString(attempts));
            String cleaned = code == null ? "" : code.replaceAll("\\s", "");
            // Keycloak's OTP check takes one credential at a time (and refuses a code used before, unless the policy allows reuse).
            valid = !cleaned.isEmpty() && user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList().stream()
                    .anyMatch(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, cleaned)));
            spent = !valid && attempts >= new OneTimeCodes(session, realm, CodeNotes.of(pending), event).settings().codeMaxAttempts();
        } else {
            OneTimeCodes codes = new OneTimeCodes(session, realm, CodeNotes.of(pending), event);
            OneTimeCodes.Verification verification = codes.verify(factor.contact.signInPurpose(), code);
            valid = verification.valid() && user.getId().equals(verification.recipient().userId())
                    && verification.recipient().target().equals(factor.contact.verifiedContact(user));
            if (!valid && verification.result() != VerifyResult.INVALID) {
                spent = true;
            }
        }
        if (valid) {
            return store.remove(key(handle)) == null ? Outcome.NOT_VALID_ANY_MORE : Outcome.VALID;
        }
        failedLogin(user, factor);
        if (spent) {
            store.remove(key(handle));
            return Outcome.SPENT;
        }
        save(handle, pending);
        return Outcome.WRONG;
    }

    boolean lockedOut(UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(session, realm, user) || protector.isPermanentlyLockedOut(session, realm, user);
    }

    private void failedLogin(UserModel user, Factor factor) {
        if (realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user, session.getContext().getConnection(),
                    session.getContext().getUri(), Set.of(factor.credentialType));
        }
    }

    private void save(String handle, Map<String, String> pending) {
        // Kept a minute past expiry so that a late entry hears "expired" the same way as an unknown token.
        long lifespan = Math.max(1, Long.parseLong(pending.getOrDefault(EXPIRES, "0")) - Time.currentTime()) + 60;
        store.put(key(handle), lifespan, pending);
    }

    private String key(String handle) {
        return KEY + realm.getId() + ":" + handle;
    }

    static String channelName(Factor factor) {
        return factor.channel.toLowerCase(Locale.ROOT);
    }
}
