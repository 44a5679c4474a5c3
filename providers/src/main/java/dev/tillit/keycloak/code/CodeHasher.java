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
 * The hash also covers what the code is for (purpose, account, channel, recipient): a code only
 * verifies against the very binding it was issued under, whatever else the session notes say.
 */
final class CodeHasher {

    private CodeHasher() {
    }

    static String newSalt(SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    static String hash(String code, String salt, String binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(salt), "HmacSHA256"));
            // The binding first, then a separator that cannot occur in a 6-digit code.
            mac.update(binding.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time: the time taken does not depend on how many characters match. */
    static boolean matches(String code, String salt, String binding, String expectedHash) {
        byte[] actual = hash(code, salt, binding).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(actual, expectedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** What a code is bound to; every part must match at verification. */
    static String binding(String purpose, CodeRecipient recipient) {
        return purpose + "\n" + recipient.subject() + "\n" + recipient.channel().name() + "\n" + recipient.target();
    }
}
