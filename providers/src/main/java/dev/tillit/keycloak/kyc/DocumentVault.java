package dev.tillit.keycloak.kyc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * Encrypts KYC data at rest with AES-256-GCM under a key from Keycloak's vault. What is stored
 * is {@code iv (12 bytes) || ciphertext || tag}; the key's vault entry name is stored beside it
 * (the key id), so the realm can move to a new key while older rows still open. The associated
 * data binds each ciphertext to its row: bytes copied into another user's case do not decrypt.
 */
public final class DocumentVault {

    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.([^}\\s]+)}");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeycloakSession session;
    private final SecureRandom random = new SecureRandom();

    public DocumentVault(KeycloakSession session) {
        this.session = session;
    }

    /** Ciphertext and the id of the key that made it. */
    public record Sealed(byte[] bytes, String keyId) {
    }

    /**
     * Where a sealed value belongs: realm, case and field (the details, or a picture's kind). Its
     * {@link #associatedData()} is the one format every writer and reader of KYC data uses, so a value
     * moved to another case, realm or field does not open.
     */
    public record Field(String realmId, String caseId, String name) {

        /** The field holding a case's details (name, birth date, address, document) as JSON. */
        public static final String DETAILS = "details";

        public static Field details(RealmModel realm, String caseId) {
            return new Field(realm.getId(), caseId, DETAILS);
        }

        /** A picture of the case; {@code kind} is the document kind's id (front, back, selfie, ...). */
        public static Field picture(RealmModel realm, String caseId, String kind) {
            return new Field(realm.getId(), caseId, kind);
        }

        String associatedData() {
            return "tillit-kyc|" + realmId + "|" + caseId + "|" + name;
        }
    }

    /** Encrypts under the key the reference (e.g. {@code ${vault.kyc-key}}) names, bound to {@code field}. */
    public Sealed seal(String keyReference, byte[] plaintext, Field field) {
        String keyId = keyId(keyReference);
        return new Sealed(encrypt(key(keyId), plaintext, field, random), keyId);
    }

    /** The cipher alone (no vault): {@code iv || ciphertext || tag}. Public for the upload benchmark. */
    public static byte[] encrypt(SecretKeySpec key, byte[] plaintext, Field field, SecureRandom random) {
        String associatedData = field.associatedData();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + cipher.getOutputSize(plaintext.length));
            cipher.doFinal(plaintext, 0, plaintext.length, out, IV_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts what {@link #seal} made for the same {@code field}; anything else fails. */
    public byte[] open(String keyId, byte[] sealed, Field field) {
        String associatedData = field.associatedData();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(keyId), new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("KYC data does not decrypt under vault entry " + keyId
                    + " (wrong key, or the bytes were altered or moved)", e);
        }
    }

    /** The vault entry name inside a reference; the operator sees the reasons a reference is unusable. */
    static String keyId(String keyReference) {
        Matcher m = keyReference == null ? null : VAULT_REFERENCE.matcher(keyReference.trim());
        if (m == null || !m.matches()) {
            throw new KeyUnavailableException("The Tillit setting \"Identity verification · Encryption key\" must be a"
                    + " vault reference such as ${vault.kyc-key}; it is \"" + keyReference + "\"", null);
        }
        return m.group(1);
    }

    private SecretKeySpec key(String keyId) {
        try (VaultStringSecret secret = session.vault().getStringSecret("${vault." + keyId + "}")) {
            String encoded = secret.get().orElseThrow(() -> new KeyUnavailableException("The vault has no entry \"" + keyId
                    + "\" for this realm: KYC data cannot be encrypted or read. Create it with 32 random bytes in base64"
                    + " (openssl rand -base64 32).", null));
            byte[] key;
            try {
                key = Base64.getDecoder().decode(encoded.trim());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (key.length != 32) {
                throw new KeyUnavailableException("The vault entry \"" + keyId + "\" must hold 32 random bytes in base64"
                        + " (openssl rand -base64 32) for AES-256; it holds something else.", null);
            }
            return new SecretKeySpec(key, "AES");
        }
    }

    /** The key is missing or malformed: an operator's problem, logged for them; the user is asked to try later. */
    public static final class KeyUnavailableException extends RuntimeException {
        KeyUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
