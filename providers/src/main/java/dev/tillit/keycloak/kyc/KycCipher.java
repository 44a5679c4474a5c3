package dev.tillit.keycloak.kyc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Seals KYC data at rest: AES-GCM (random 96-bit nonce, 128-bit tag) under a key read from Keycloak's
 * vault. The key id stored next to each sealed value is the vault entry's name ({@code kyc-key} for
 * {@code ${vault.kyc-key}}), so rotating is: put a new entry in the vault, point the Tillit setting at
 * it; old rows still open with the entry they name until re-sealed or expired. The additional data
 * binds each ciphertext to its row (realm, case, document and kind): a sealed selfie copied into
 * another case, or over the front of the same case, does not open.
 *
 * <p>Format: version byte {@code 1}, 12-byte nonce, ciphertext with tag.
 *
 * <p>There is no fallback key and none is generated, in development mode either: a key made up by
 * one node would be unknown to the others and lost on restart, with the documents sealed under it.
 * The demo script writes a random key into its file vault instead.
 */
public final class KycCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** What a vault entry name may look like (Keycloak's file vault: a file name part). */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{vault\\.([^}\\s]+)}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Function<String, Optional<String>> vault;

    /**
     * @param currentKeyId the vault entry new data is sealed under
     * @param vault        vault entry name → its value (base64 of 16, 24 or 32 random bytes)
     */
    public KycCipher(String currentKeyId, Function<String, Optional<String>> vault) {
        this.currentKeyId = currentKeyId;
        this.vault = vault;
    }

    /** The realm's cipher: the key named by the Tillit setting {@code kycEncryptionKey}, read from the vault. */
    public static KycCipher of(KeycloakSession session, TillitSettings settings) {
        String reference = settings.kycEncryptionKeyReference();
        var matcher = reference == null ? null : REFERENCE.matcher(reference.trim());
        if (matcher == null || !matcher.matches()) {
            throw new KycKeyUnavailableException("The KYC encryption key setting (kycEncryptionKey) must be a vault"
                    + " reference such as ${vault.kyc-key}; it is \"" + reference + "\".");
        }
        return new KycCipher(matcher.group(1), name -> {
            try (VaultStringSecret secret = session.vault().getStringSecret("${vault." + name + "}")) {
                return secret.get();
            }
        });
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Fails with {@link KycKeyUnavailableException} now rather than after the user filled in a form. */
    public void requireKey() {
        key(currentKeyId);
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            // Straight into the output array: no second copy of a 10 MB document on the heap.
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens data sealed under {@code keyId}; throws when the key, the data or its binding is wrong. */
    public byte[] open(byte[] sealed, String keyId, String associatedData) throws GeneralSecurityException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new GeneralSecurityException("not sealed KYC data");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key(keyId), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    }

    private SecretKeySpec key(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new KycKeyUnavailableException("\"" + keyId + "\" is not a usable vault entry name for the KYC key.");
        }
        String value = vault.apply(keyId).map(String::trim).orElseThrow(() -> new KycKeyUnavailableException(
                "The KYC encryption key ${vault." + keyId + "} is not in the vault. Put base64 of 32 random bytes there"
                        + " (e.g. openssl rand -base64 32)."));
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new KycKeyUnavailableException("The KYC encryption key ${vault." + keyId + "} is not base64.");
        }
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw new KycKeyUnavailableException("The KYC encryption key ${vault." + keyId + "} must decode to 16, 24 or 32"
                    + " bytes (AES); it has " + raw.length + ".");
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** The additional data of a document: its realm, case, id and kind. */
    public static String documentBinding(String realmId, String caseId, String documentId, String kind) {
        return "tillit-kyc-document|" + realmId + "|" + caseId + "|" + documentId + "|" + kind;
    }

    /** The additional data of a case's personal details. */
    public static String detailsBinding(String realmId, String caseId) {
        return "tillit-kyc-details|" + realmId + "|" + caseId;
    }
}
