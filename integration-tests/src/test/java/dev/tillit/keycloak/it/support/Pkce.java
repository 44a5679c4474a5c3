package dev.tillit.keycloak.it.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** PKCE (RFC 7636) as a public client does it: a random verifier and its S256 challenge. */
public final class Pkce {

    private Pkce() {
    }

    /** A fresh random string of {@code bytes} random bytes, base64url without padding (verifiers, states). */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A code verifier (48 random bytes: 64 characters, within RFC 7636's 43–128). */
    public static String verifier() {
        return random(48);
    }

    /** BASE64URL(SHA-256(verifier)), the {@code S256} challenge. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
