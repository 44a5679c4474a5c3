package dev.tillit.keycloak.code;

/**
 * What became of a request to send a code. Anything but {@link #SENT} means nothing was issued
 * and the user's pending code (if any) is untouched.
 */
public enum SendResult {
    SENT("tillitCodeSent"),
    /** The resend cooldown has not passed; the page shows how long to wait. */
    COOLDOWN("tillitCodeResendWait"),
    /** The per-recipient or per-IP hourly limit is reached. */
    LIMITED("tillitCodeSendLimit"),
    /** The number's country is not on the realm's SMS allow-list. */
    COUNTRY_NOT_ALLOWED("tillitSmsCountryNotAllowed"),
    /** The gateway (SMS or SMTP) failed or timed out; nothing was consumed. */
    DELIVERY_FAILED("tillitCodeDeliveryFailed");

    private final String messageKey;

    SendResult(String messageKey) {
        this.messageKey = messageKey;
    }

    public String messageKey() {
        return messageKey;
    }
}
