package dev.tillit.keycloak.kyc.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Sumsub's two signatures. Sumsub's docs give a signing string but no resulting signature, so the
 * expected values were computed independently with {@code openssl dgst -hmac} over the same bytes.
 */
class SumsubSignaturesTest {

    /** The secret-key format of Sumsub's own examples (AppTokenUsageExamples). */
    private static final String SECRET_KEY = "Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq";

    @Test
    void requestSignatureOfTheDocsSigningString() {
        // docs.sumsub.com "Authentication": ts 1607551635, POST, the path with its query, no body.
        String path = "/resources/accessTokens?userId=cfd20712-24a2-4c7d-9ab0-146f3c142335&levelName=basic-kyc-level&ttlInSecs=600";
        assertEquals("1e1856be1c1e1ff113e5664acac6b423ffefe04ad42ff36567622ef56f62c4b1",
                SumsubApi.signature(SECRET_KEY, 1607551635L, "POST", path, new byte[0]));
        assertEquals(SumsubApi.signature(SECRET_KEY, 1607551635L, "POST", path, null),
                SumsubApi.signature(SECRET_KEY, 1607551635L, "POST", path, new byte[0]), "no body signs as an empty one");
    }

    @Test
    void theBodyTheMethodAndTheTimeAreSigned() {
        byte[] body = "{\"externalUserId\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
        String base = SumsubApi.signature(SECRET_KEY, 1700000000L, "POST", "/resources/applicants?levelName=x", body);
        assertEquals(64, base.length());
        assertEquals(base.toLowerCase(), base, "lowercase hex");
        assertFalse(base.equals(SumsubApi.signature(SECRET_KEY, 1700000001L, "POST", "/resources/applicants?levelName=x", body)));
        assertFalse(base.equals(SumsubApi.signature(SECRET_KEY, 1700000000L, "GET", "/resources/applicants?levelName=x", body)));
        assertFalse(base.equals(SumsubApi.signature(SECRET_KEY, 1700000000L, "POST", "/resources/applicants?levelName=y", body)));
        assertFalse(base.equals(SumsubApi.signature(SECRET_KEY, 1700000000L, "POST", "/resources/applicants?levelName=x",
                "{\"externalUserId\":\"c2\"}".getBytes(StandardCharsets.UTF_8))));
    }

    private static final byte[] WEBHOOK = "{\"applicantId\":\"5cb56e8e0a975a35f333cb83\",\"type\":\"applicantReviewed\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String WEBHOOK_SECRET = "SoMe_SeCrEt_KeY";

    @Test
    void webhookDigestInEachOfSumsubsAlgorithms() {
        assertTrue(SumsubKycVerifier.digestValid("HMAC_SHA1_HEX", "8d27808a66f1f0891908ee2a801ae7377fec62aa", WEBHOOK_SECRET, WEBHOOK));
        assertTrue(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX",
                "a57a5eaa2188c5fbcd0828f4a4907729c85fffd15eff323214c16e4fe9a451ab", WEBHOOK_SECRET, WEBHOOK));
        assertTrue(SumsubKycVerifier.digestValid("HMAC_SHA512_HEX", "03bf7100fed283c836f569546f1f81a91698d9a61bfc3c4cc575ce939c462f4b"
                + "ad5fa6ffb50a72a49270ca55c6f65c98c6ab064f072eda13e8720abbc44c55d8", WEBHOOK_SECRET, WEBHOOK));
        assertTrue(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX",
                "A57A5EAA2188C5FBCD0828F4A4907729C85FFFD15EFF323214C16E4FE9A451AB", WEBHOOK_SECRET, WEBHOOK), "hex in any case");
    }

    @Test
    void anythingElseIsNoSignature() {
        String sha256 = "a57a5eaa2188c5fbcd0828f4a4907729c85fffd15eff323214c16e4fe9a451ab";
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", sha256, "another secret", WEBHOOK));
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", sha256, WEBHOOK_SECRET,
                "{\"applicantId\":\"5cb56e8e0a975a35f333cb84\",\"type\":\"applicantReviewed\"}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA512_HEX", sha256, WEBHOOK_SECRET, WEBHOOK), "the algorithm it names");
        assertFalse(SumsubKycVerifier.digestValid(null, sha256, WEBHOOK_SECRET, WEBHOOK), "no algorithm");
        assertFalse(SumsubKycVerifier.digestValid("HMAC_MD5_HEX", sha256, WEBHOOK_SECRET, WEBHOOK));
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", null, WEBHOOK_SECRET, WEBHOOK), "no digest");
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", "", WEBHOOK_SECRET, WEBHOOK));
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", "zz" + sha256.substring(2), WEBHOOK_SECRET, WEBHOOK));
        assertFalse(SumsubKycVerifier.digestValid("HMAC_SHA256_HEX", sha256.substring(0, 62), WEBHOOK_SECRET, WEBHOOK), "cut short");
    }

    @Test
    void aWebhooksCreationTimeInSumsubsFormOrAsAnInstant() {
        assertEquals(1582291399321L, SumsubKycVerifier.createdAt("2020-02-21 13:23:19.321"));
        assertEquals(1582291399321L, SumsubKycVerifier.createdAt("2020-02-21T13:23:19.321Z"));
        assertEquals(null, SumsubKycVerifier.createdAt("yesterday"));
        assertEquals(null, SumsubKycVerifier.createdAt(null));
    }

    @Test
    void retriesBackOffByDoublingUpToSixHours() {
        assertEquals(Duration.ofSeconds(60), SumsubHandOff.backoff(Duration.ofSeconds(60), 1));
        assertEquals(Duration.ofSeconds(120), SumsubHandOff.backoff(Duration.ofSeconds(60), 2));
        assertEquals(Duration.ofSeconds(480), SumsubHandOff.backoff(Duration.ofSeconds(60), 4));
        assertEquals(Duration.ofHours(6), SumsubHandOff.backoff(Duration.ofSeconds(60), 30));
        assertEquals(Duration.ofHours(6), SumsubHandOff.backoff(Duration.ofSeconds(60), Integer.MAX_VALUE));
    }

    @Test
    void documentMetadataInSumsubsTerms() {
        assertEquals("SWE", SumsubHandOff.alpha3("SE"));
        assertEquals("NOR", SumsubHandOff.alpha3("NO"));
        // Kosovo: no ISO alpha-3 (Java has none for XK); Sumsub takes the user-assigned XKX.
        assertEquals("XKX", SumsubHandOff.alpha3("XK"));
        assertEquals("PASSPORT", SumsubHandOff.idDocType("passport"));
        assertEquals("ID_CARD", SumsubHandOff.idDocType("id_card"));
        assertEquals("DRIVERS", SumsubHandOff.idDocType("driving_licence"));
        assertEquals("RESIDENCE_PERMIT", SumsubHandOff.idDocType("residence_permit"));
    }
}
