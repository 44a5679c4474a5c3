package dev.tillit.keycloak.code;

/** What became of an entered code. */
public enum VerifyResult {
    VALID(null),
    /** Wrong code, attempts remain. */
    INVALID("tillitCodeInvalid"),
    /** Too old: a new one must be requested. */
    EXPIRED("tillitCodeExpired"),
    /** The attempt limit was reached: this code is dead, a new one must be requested. */
    TOO_MANY_ATTEMPTS("tillitCodeTooManyAttempts"),
    /** Too many wrong codes against this account or recipient today: a new code only after a wait. */
    PAUSED("tillitCodeGuessingPaused"),
    /** No code is pending for this step (never sent, or already used). Shown like a wrong code. */
    NONE_PENDING("tillitCodeInvalid");

    private final String messageKey;

    VerifyResult(String messageKey) {
        this.messageKey = messageKey;
    }

    public String messageKey() {
        return messageKey;
    }
}
