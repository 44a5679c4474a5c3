package dev.tillit.keycloak.captcha;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tillit.keycloak.TillitEvents;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;

/**
 * Tillit's own bot check: the server hands the page a signed challenge, the page's script finds a
 * number {@code n} such that SHA-256({@code nonce + ":" + n}) starts with {@code bits} zero bits
 * (about 2^bits hashes: seconds for one person, a real cost per session for a bot farm), and the
 * server checks the answer. Nothing is kept on the server until an answer arrives: the challenge is
 * a JWS signed with the realm's own HMAC key (Keycloak's key manager, so it rotates with the realm's
 * keys), and carries its nonce, difficulty, expiry and a hash of the auth session and tab it was
 * issued to. Accepting it once across the cluster is the caller's job ({@code putIfAbsent} on
 * {@link Verified#nonce()}).
 *
 * <p>No Keycloak session in here, so unit tests can sign, tamper with and expire challenges.
 */
public final class ProofOfWork {

    /** The only signature algorithm accepted: the realm's HMAC key. Pinning it leaves no room for "alg" tricks. */
    public static final String ALGORITHM = "HS512";

    /** What the challenge's JWS carries. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Payload {
        /** base64url(SHA-256(auth session id, tab id)): the session and tab the challenge was issued to. */
        @JsonProperty("sid")
        public String session;
        @JsonProperty("nonce")
        public String nonce;
        @JsonProperty("bits")
        public int bits;
        /** Expiry, epoch milliseconds. */
        @JsonProperty("exp")
        public long expiresAt;
    }

    /** A challenge as the page gets it. */
    public record Challenge(String token, String nonce, int bits, long expiresAt) {
    }

    /** An accepted answer: the nonce to spend once, and how long it must stay spent. */
    public record Verified(String nonce, Duration remaining) {
    }

    /** The result of a check: {@code verified} or the failure reason ({@code TillitEvents.BOT_CHECK_*}). */
    public record Result(Verified verified, String failure) {
        static Result fail(String reason) {
            return new Result(null, reason);
        }

        public boolean ok() {
            return verified != null;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public ProofOfWork(Clock clock) {
        this.clock = clock;
    }

    /** A fresh challenge for one auth session and tab. */
    public Challenge issue(SignatureSignerContext signer, String binding, int bits, Duration lifetime) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        Payload payload = new Payload();
        payload.session = binding;
        payload.nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        payload.bits = bits;
        payload.expiresAt = clock.millis() + lifetime.toMillis();
        String token = new JWSBuilder().kid(signer.getKid()).jsonContent(payload).sign(signer);
        return new Challenge(token, payload.nonce, bits, payload.expiresAt);
    }

    /**
     * Checks an answer: the signature (realm key, {@value #ALGORITHM} only), then that it was issued
     * to this session and tab, then expiry, then the work. The order tells the operator the most
     * specific reason; every failure is the same "try again" for the person.
     *
     * @param verifiers the realm's verifier for a key id, or null when there is no such key
     */
    public Result verify(String token, String solution, String binding,
                         Function<String, SignatureVerifierContext> verifiers) {
        if (token == null || token.isBlank() || solution == null || solution.isBlank()) {
            return Result.fail(TillitEvents.BOT_CHECK_MISSING);
        }
        if (token.length() > 2048 || solution.length() > 20 || !solution.chars().allMatch(Character::isDigit)) {
            return Result.fail(TillitEvents.BOT_CHECK_MALFORMED);
        }
        JWSInput jws;
        Payload payload;
        try {
            jws = new JWSInput(token);
            payload = jws.readJsonContent(Payload.class);
        } catch (JWSInputException | RuntimeException e) {
            return Result.fail(TillitEvents.BOT_CHECK_MALFORMED);
        }
        if (payload == null || payload.nonce == null || payload.session == null) {
            return Result.fail(TillitEvents.BOT_CHECK_MALFORMED);
        }
        if (!ALGORITHM.equals(jws.getHeader().getRawAlgorithm()) || jws.getHeader().getKeyId() == null) {
            return Result.fail(TillitEvents.BOT_CHECK_BAD_SIGNATURE);
        }
        try {
            SignatureVerifierContext verifier = verifiers.apply(jws.getHeader().getKeyId());
            if (verifier == null || !ALGORITHM.equals(verifier.getAlgorithm()) || !verifier.verify(
                    jws.getEncodedSignatureInput().getBytes(StandardCharsets.US_ASCII), jws.getSignature())) {
                return Result.fail(TillitEvents.BOT_CHECK_BAD_SIGNATURE);
            }
        } catch (Exception e) {
            return Result.fail(TillitEvents.BOT_CHECK_BAD_SIGNATURE);
        }
        if (!MessageDigest.isEqual(payload.session.getBytes(StandardCharsets.UTF_8), binding.getBytes(StandardCharsets.UTF_8))) {
            return Result.fail(TillitEvents.BOT_CHECK_OTHER_SESSION);
        }
        long left = payload.expiresAt - clock.millis();
        if (left <= 0) {
            return Result.fail(TillitEvents.BOT_CHECK_EXPIRED);
        }
        if (leadingZeroBits(hash(payload.nonce, solution)) < payload.bits) {
            return Result.fail(TillitEvents.BOT_CHECK_NOT_SOLVED);
        }
        return new Result(new Verified(payload.nonce, Duration.ofMillis(left)), null);
    }

    /** The auth session and tab a challenge belongs to, hashed: the page never sees the session id. */
    public static String binding(String authSessionId, String tabId) {
        byte[] digest = sha256().digest((authSessionId + "\n" + tabId).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** SHA-256 of {@code nonce:solution}, as the page's script computes it. */
    static byte[] hash(String nonce, String solution) {
        return sha256().digest((nonce + ":" + solution).getBytes(StandardCharsets.US_ASCII));
    }

    static int leadingZeroBits(byte[] digest) {
        int bits = 0;
        for (byte b : digest) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    /** Finds an answer the way the page does (for tests and tools; the server never solves). */
    public static String solve(String nonce, int bits) {
        for (long n = 0; ; n++) {
            String candidate = Long.toString(n);
            if (leadingZeroBits(hash(nonce, candidate)) >= bits) {
                return candidate;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
