package dev.tillit.keycloak.sms;

/** The gateway did not accept the message (refused, failed or timed out). */
public class SmsDeliveryException extends Exception {

    public SmsDeliveryException(String message) {
        super(message);
    }

    public SmsDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
