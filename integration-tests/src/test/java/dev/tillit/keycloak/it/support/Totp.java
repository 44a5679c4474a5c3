package dev.tillit.keycloak.it.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 TOTP (HmacSHA1, 6 digits, 30 s), computed independently of Keycloak, like an authenticator app. */
public final class Totp {

    private Totp() {
    }

    public static String now(String secret) {
        return at(secret, System.currentTimeMillis() / 1000 / 30);
    }

    /**
     * The code of the next 30-second step. Keycloak takes each code once, and accepts one step ahead
     * (its default look-ahead window): for a second sign-in within the step whose code was just used.
     */
    public static String next(String secret) {
        return at(secret, System.currentTimeMillis() / 1000 / 30 + 1);
    }

    /** Steps whose code this test JVM has already given out, per secret (see {@link #unused}). */
    private static final java.util.Map<String, java.util.Set<Long>> GIVEN = new java.util.HashMap<>();

    /**
     * A code Keycloak has not yet taken for {@code secret}, for a test that signs the same account in several
     * times: this step's code, else the next step's (the look-ahead window), else, once both are used, this
     * waits for the clock to reach the next step. Only codes given out by this method are tracked.
     */
    public static synchronized String unused(String secret) throws InterruptedException {
        java.util.Set<Long> given = GIVEN.computeIfAbsent(secret, s -> new java.util.HashSet<>());
        while (true) {
            long step = System.currentTimeMillis() / 1000 / 30;
            for (long candidate : new long[] {step, step + 1}) {
                if (given.add(candidate)) {
                    return at(secret, candidate);
                }
            }
            Thread.sleep((step + 1) * 30_000 - System.currentTimeMillis() + 50); // until the next step begins
        }
    }

    static String at(String secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
