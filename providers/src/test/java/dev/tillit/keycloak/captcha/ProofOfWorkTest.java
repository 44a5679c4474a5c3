package dev.tillit.keycloak.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.spec.SecretKeySpec;

import dev.tillit.keycloak.TillitEvents;
import org.junit.jupiter.api.Test;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.MacSignatureSignerContext;
import org.keycloak.crypto.MacSignatureVerifierContext;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.jose.jws.JWSBuilder;

class ProofOfWorkTest {

    private static final String SESSION = ProofOfWork.binding("root-session-1", "tab-1");

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final ProofOfWork pow = new ProofOfWork(clock);
    private final KeyWrapper realmKey = key("realm-kid", "a realm's HMAC key, 64 bytes long for HS512 ............!");

    private static KeyWrapper key(String kid, String secret) {
        KeyWrapper key = new KeyWrapper();
        key.setKid(kid);
        key.setAlgorithm(ProofOfWork.ALGORITHM);
        key.setUse(KeyUse.SIG);
        key.setSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return key;
    }

    private SignatureVerifierContext verifier(String kid) {
        return realmKey.getKid().equals(kid) ? new MacSignatureVerifierContext(realmKey) : null;
    }

    private ProofOfWork.Challenge issue(int bits) {
        return pow.issue(new MacSignatureSignerContext(realmKey), SESSION, bits, Duration.ofMinutes(5));
    }

    private ProofOfWork.Result verify(String token, String solution) {
        return pow.verify(token, solution, SESSION, this::verifier);
    }

    @Test
    void anHonestAnswerIsAcceptedAndNamesItsNonceAndRemainingTime() {
        ProofOfWork.Challenge challenge = issue(12);
        ProofOfWork.Result result = verify(challenge.token(), ProofOfWork.solve(challenge.nonce(), 12));
        assertTrue(result.ok(), result.failure());
        assertEquals(challenge.nonce(), result.verified().nonce());
        assertEquals(Duration.ofMinutes(5), result.verified().remaining());
    }

    @Test
    void theAnswerMustReachTheDifficultyTheChallengeWasSignedWith() {
        ProofOfWork.Challenge challenge = issue(16);
        // An answer good for fewer bits (found by searching for exactly that) is not enough.
        String weak = null;
        for (long n = 0; weak == null; n++) {
            int bits = ProofOfWork.leadingZeroBits(ProofOfWork.hash(challenge.nonce(), Long.toString(n)));
            if (bits >= 8 && bits < 16) {
                weak = Long.toString(n);
            }
        }
        assertEquals(TillitEvents.BOT_CHECK_NOT_SOLVED, verify(challenge.token(), weak).failure());
        String strong = ProofOfWork.solve(challenge.nonce(), 16);
        assertTrue(ProofOfWork.leadingZeroBits(ProofOfWork.hash(challenge.nonce(), strong)) >= 16);
        assertTrue(verify(challenge.token(), strong).ok());
    }

    @Test
    void leadingZeroBitsAreCountedAcrossBytes() {
        assertEquals(0, ProofOfWork.leadingZeroBits(new byte[] {(byte) 0x80, 0}));
        assertEquals(7, ProofOfWork.leadingZeroBits(new byte[] {1, 0}));
        assertEquals(8, ProofOfWork.leadingZeroBits(new byte[] {0, (byte) 0xff}));
        assertEquals(19, ProofOfWork.leadingZeroBits(new byte[] {0, 0, 0x10}));
        assertEquals(24, ProofOfWork.leadingZeroBits(new byte[] {0, 0, 0}));
    }

    @Test
    void theHashIsSha256OfNonceColonSolutionAsThePageComputesIt() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("AbCdEfGhIjKlMnOpQrStUv:256079".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64.getEncoder().encodeToString(expected),
                Base64.getEncoder().encodeToString(ProofOfWork.hash("AbCdEfGhIjKlMnOpQrStUv", "256079")));
        // The answer the page's worker found for this nonce at 18 bits (checked with Node).
        assertTrue(ProofOfWork.leadingZeroBits(expected) >= 18);
    }

    @Test
    void anExpiredChallengeIsRefusedEvenWithAGoodAnswer() {
        ProofOfWork.Challenge challenge = issue(10);
        String answer = ProofOfWork.solve(challenge.nonce(), 10);
        now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
        assertTrue(verify(challenge.token(), answer).ok());
        now.addAndGet(1);
        assertEquals(TillitEvents.BOT_CHECK_EXPIRED, verify(challenge.token(), answer).failure());
    }

    @Test
    void aChallengeFromAnotherSessionOrTabIsRefused() {
        ProofOfWork.Challenge challenge = issue(10);
        String answer = ProofOfWork.solve(challenge.nonce(), 10);
        assertEquals(TillitEvents.BOT_CHECK_OTHER_SESSION, pow.verify(challenge.token(), answer,
                ProofOfWork.binding("root-session-1", "tab-2"), this::verifier).failure());
        assertEquals(TillitEvents.BOT_CHECK_OTHER_SESSION, pow.verify(challenge.token(), answer,
                ProofOfWork.binding("root-session-2", "tab-1"), this::verifier).failure());
    }

    @Test
    void aTamperedPayloadBreaksTheSignature() {
        ProofOfWork.Challenge challenge = issue(20);
        String[] parts = challenge.token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String easier = payload.replace("\"bits\":20", "\"bits\":1");
        assertNotEquals(payload, easier);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(easier.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(TillitEvents.BOT_CHECK_BAD_SIGNATURE, verify(forged, ProofOfWork.solve(challenge.nonce(), 1)).failure());
    }

    @Test
    void aChallengeSignedWithAnotherKeyOrAlgorithmIsRefused() {
        ProofOfWork.Payload payload = new ProofOfWork.Payload();
        payload.session = SESSION;
        payload.nonce = "n0nce";
        payload.bits = 1;
        payload.expiresAt = now.get() + 60_000;
        String answer = ProofOfWork.solve("n0nce", 1);

        // The attacker's own key under the realm key's id.
        KeyWrapper attacker = key("realm-kid", "not the realm's key, but also 64 bytes long for HS512 .....!");
        String ownKey = new JWSBuilder().kid("realm-kid").jsonContent(payload).sign(new MacSignatureSignerContext(attacker));
        assertEquals(TillitEvents.BOT_CHECK_BAD_SIGNATURE, verify(ownKey, answer).failure());

        // A key id the realm does not have.
        KeyWrapper unknown = key("other-kid", "a realm's HMAC key, 64 bytes long for HS512 ............!");
        String otherKid = new JWSBuilder().kid("other-kid").jsonContent(payload).sign(new MacSignatureSignerContext(unknown));
        assertEquals(TillitEvents.BOT_CHECK_BAD_SIGNATURE, verify(otherKid, answer).failure());

        // "alg": "none", no signature.
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"kid\":\"realm-kid\"}".getBytes(StandardCharsets.UTF_8));
        String body = ownKey.split("\\.")[1];
        assertEquals(TillitEvents.BOT_CHECK_BAD_SIGNATURE, verify(header + "." + body + ".", answer).failure());
    }

    @Test
    void garbageIsMalformedAndNothingIsMissing() {
        assertEquals(TillitEvents.BOT_CHECK_MISSING, verify(null, "1").failure());
        assertEquals(TillitEvents.BOT_CHECK_MISSING, verify(issue(8).token(), "").failure());
        assertEquals(TillitEvents.BOT_CHECK_MALFORMED, verify("not.a.jws", "1").failure());
        assertEquals(TillitEvents.BOT_CHECK_MALFORMED, verify(issue(8).token(), "12a").failure());
        assertEquals(TillitEvents.BOT_CHECK_MALFORMED, verify(issue(8).token(), "123456789012345678901").failure());
        assertNull(verify(issue(8).token(), ProofOfWork.solve(issue(8).nonce(), 8)).verified());
    }
}
