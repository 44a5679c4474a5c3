package dev.tillit.keycloak.broker.apple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Apple's refresh token, kept only to revoke the grant when the account is deleted, sealed at rest:
 * AES-256-GCM under a key derived (HMAC-SHA256, label below) from the realm's HS512 key in Keycloak's
 * key manager, so the database alone does not give it away. The sealed form names the key
 * ({@code tillit-apple-rt:v1:<kid>:<iv+ciphertext>}), so a rotated key still opens what it sealed while
 * the realm keeps it; Apple's subject (the linked identity) is bound in as associated data, so a
 * sealed token moved to another link does not open.
 */
final class AppleTokenSeal {

    static final String PREFIX = "tillit-apple-rt:v1:";
    private static final byte[] LABEL = "tillit apple refresh token seal".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AppleTokenSeal() {
    }

    /** The sealed token, or null when the realm has no HS512 key (the token is then not kept at all). */
    static String seal(KeycloakSession session, RealmModel realm, String subject, String refreshToken) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        if (key == null || key.getSecretKey() == null) {
            return null;
        }
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, subject);
            byte[] sealed = cipher.doFinal(refreshToken.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + key.getKid() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The refresh token, or null when {@code sealed} is not ours, was moved, or its key is gone. */
    static String open(KeycloakSession session, RealmModel realm, String subject, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return null;
        }
        String rest = sealed.substring(PREFIX.length());
        int colon = rest.lastIndexOf(':');
        if (colon < 1) {
            return null;
        }
        KeyWrapper key = session.keys().getKey(realm, rest.substring(0, colon), KeyUse.SIG, Algorithm.HS512);
        if (key == null || key.getSecretKey() == null) {
            return null;
        }
        try {
            byte[] all = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            byte[] iv = java.util.Arrays.copyOfRange(all, 0, 12);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, iv, subject);
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Cipher cipher(int mode, KeyWrapper key, byte[] iv, String subject) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getSecretKey().getEncoded(), "HmacSHA256"));
        byte[] aesKey = mac.doFinal(LABEL);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
