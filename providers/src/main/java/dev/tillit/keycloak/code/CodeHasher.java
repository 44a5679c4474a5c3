package dev.tillit.keycloak.code;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Codes at rest: HMAC-SHA256 under a fresh random salt per code, so a leaked auth-session store
 * reveals neither the code nor (without the salt) a precomputable table of all 10^6 codes.
 * The salt lives next to the hash; the point is that the clear code never does.
 */
final class CodeHasher {

    private CodeHasher() {
    }

    static String newSalt(SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    static String hash(String code, String salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(salt), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time: the time taken does not depend on how many characters match. */
    static boolean matches(String code, String salt, String expectedHash) {
        byte[] actual = hash(code, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(actual, expectedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
