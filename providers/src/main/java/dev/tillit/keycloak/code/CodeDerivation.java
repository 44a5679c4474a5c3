package dev.tillit.keycloak.code;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import org.jboss.logging.Logger;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Where a code comes from, so that a resend can send the very same code without the code being
 * kept anywhere: code = HMAC-SHA256(realm secret, nonce ‖ binding), reduced to six digits. The
 * nonce is random per issued code and sits in the session notes; the secret is the realm's
 * active HS512 key from Keycloak's key manager (which lives in the realm's key providers, not
 * in the session store), named by its key id so a rotation mid-flow still finds it. Someone who
 * reads the session store learns the nonce and the salted hash, neither of which gives the code
 * without the realm key.
 * <p>
 * Six digits without modulo bias: 4-byte words of the HMAC are taken as unsigned numbers and
 * used only below 4 294 000 000 (the largest multiple of 10^6 under 2^32); a word above it is
 * skipped (0.02 % of words), and in the astronomically rare case all eight words of one HMAC
 * are skipped, a counter in the input draws a fresh HMAC.
 */
final class CodeDerivation {

    private static final Logger LOG = Logger.getLogger(CodeDerivation.class);
    private static final long LIMIT = 4_294_000_000L;
    private static final byte[] LABEL = "tillit-code-v1".getBytes(StandardCharsets.US_ASCII);

    /** What a code is derived from: the realm key's id and the code's random nonce. */
    record Seed(String kid, String nonce) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    CodeDerivation(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** A new seed under the realm's active key, or null when the realm has no HMAC key (codes are then random and not repeatable). */
    Seed newSeed(SecureRandom random) {
        KeyWrapper key;
        try {
            key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        } catch (RuntimeException e) {
            key = null;
        }
        if (key == null || key.getSecretKey() == null) {
            LOG.warnf("Realm %s has no active HS512 key: one-time codes cannot be sent again unchanged", realm.getName());
            return null;
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return new Seed(key.getKid(), Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    }

    /** The code of {@code seed} for {@code binding}, or null when the key it names is gone (rotated out). */
    String code(Seed seed, String binding) {
        KeyWrapper key;
        try {
            key = session.keys().getKey(realm, seed.kid(), KeyUse.SIG, Algorithm.HS512);
        } catch (RuntimeException e) {
            key = null;
        }
        if (key == null || key.getSecretKey() == null) {
            return null;
        }
        return derive(key.getSecretKey(), seed.nonce(), binding);
    }

    static String derive(SecretKey secret, String nonce, String binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getEncoded(), "HmacSHA256"));
            for (int counter = 0; ; counter++) {
                mac.update(LABEL);
                mac.update((byte) 0);
                mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
                mac.update((byte) 0);
                mac.update(binding.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                ByteBuffer words = ByteBuffer.wrap(mac.doFinal(ByteBuffer.allocate(4).putInt(counter).array()));
                while (words.remaining() >= 4) {
                    long word = Integer.toUnsignedLong(words.getInt());
                    if (word < LIMIT) {
                        return String.format(Locale.ROOT, "%06d", word % 1_000_000);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
