package dev.tillit.keycloak.login;

import java.security.SecureRandom;

/**
 * Usernames for accounts created by phone. Random rather than derived from the number: the
 * number can change, and a username must not leak it (it appears in logs and tokens).
 */
public final class UsernameGenerator {

    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    private UsernameGenerator() {
    }

    public static String forPhoneSignup() {
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder("user-");
        for (int i = 0; i < 12; i++) {
            name.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return name.toString();
    }
}
