package dev.tillit.keycloak.code;

/** A code or notice could not be handed to its gateway (SMS or SMTP). */
public class DeliveryFailedException extends Exception {

    public DeliveryFailedException(String message) {
        super(message);
    }

    public DeliveryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
