package dev.tillit.keycloak.kyc;

/** An upload that is not stored; {@link #messageKey()} tells the user what to do, {@link #reason()} the log and event. */
public class UploadRefusedException extends Exception {

    private final String messageKey;
    private final String reason;

    public UploadRefusedException(String messageKey, String reason) {
        super(reason);
        this.messageKey = messageKey;
        this.reason = reason;
    }

    public String messageKey() {
        return messageKey;
    }

    /** Short machine-readable reason, e.g. {@code not_an_image}, {@code too_dark}. */
    public String reason() {
        return reason;
    }
}
