package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KycCipherTest {

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private final Map<String, String> vault = new HashMap<>(Map.of("kyc-key", newKey()));
    private final KycCipher cipher = new KycCipher("kyc-key", name -> Optional.ofNullable(vault.get(name)));

    @Test
    void sealedBytesAreNotThePlaintextAndOpenOnlyWithTheirBinding() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.card(1200, 800, 1));
        String binding = KycCipher.documentBinding("realm", "case-1", "doc-1", "front");
        byte[] sealed = cipher.seal(plain, binding);
        assertFalse(TestImages.contains(sealed, java.util.Arrays.copyOfRange(plain, 0, 64)), "plaintext visible");
        assertNotEquals(plain.length, sealed.length);
        assertArrayEquals(plain, cipher.open(sealed, "kyc-key", binding));
        // Moved to another case, or swapped for another kind: refused.
        assertThrows(GeneralSecurityException.class,
                () -> cipher.open(sealed, "kyc-key", KycCipher.documentBinding("realm", "case-2", "doc-1", "front")));
        assertThrows(GeneralSecurityException.class,
                () -> cipher.open(sealed, "kyc-key", KycCipher.documentBinding("realm", "case-1", "doc-1", "selfie")));
        // Tampered: refused.
        sealed[sealed.length / 2] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> cipher.open(sealed, "kyc-key", binding));
    }

    @Test
    void twoSealsOfTheSameDataDiffer() {
        byte[] plain = "same".getBytes();
        assertFalse(java.util.Arrays.equals(cipher.seal(plain, "b"), cipher.seal(plain, "b")), "nonce reused");
    }

    @Test
    void rotationKeepsOldDataReadable() throws Exception {
        byte[] old = cipher.seal("details".getBytes(), "b");
        vault.put("kyc-key-2", newKey());
        KycCipher rotated = new KycCipher("kyc-key-2", name -> Optional.ofNullable(vault.get(name)));
        byte[] fresh = rotated.seal("details".getBytes(), "b");
        assertArrayEquals("details".getBytes(), rotated.open(old, "kyc-key", "b"));
        assertArrayEquals("details".getBytes(), rotated.open(fresh, "kyc-key-2", "b"));
        assertThrows(GeneralSecurityException.class, () -> rotated.open(fresh, "kyc-key", "b"));
    }

    @Test
    void aMissingOrMalformedKeyIsRefusedClearly() {
        KycCipher missing = new KycCipher("kyc-key", name -> Optional.empty());
        KycKeyUnavailableException e = assertThrows(KycKeyUnavailableException.class, missing::requireKey);
        assertTrue(e.getMessage().contains("${vault.kyc-key}"), e.getMessage());
        KycCipher shortKey = new KycCipher("kyc-key", name -> Optional.of(Base64.getEncoder().encodeToString(new byte[7])));
        assertThrows(KycKeyUnavailableException.class, shortKey::requireKey);
        KycCipher notBase64 = new KycCipher("kyc-key", name -> Optional.of("correct horse battery staple"));
        assertThrows(KycKeyUnavailableException.class, notBase64::requireKey);
        KycCipher traversal = new KycCipher("../etc/passwd", name -> Optional.of(newKey()));
        assertThrows(KycKeyUnavailableException.class, traversal::requireKey);
    }
}
