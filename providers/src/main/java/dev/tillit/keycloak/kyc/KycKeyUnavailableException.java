package dev.tillit.keycloak.kyc;

/** The KYC encryption key is not configured, not in the vault, or not a 128/192/256-bit AES key. */
public class KycKeyUnavailableException extends RuntimeException {

    public KycKeyUnavailableException(String message) {
        super(message);
    }
}
