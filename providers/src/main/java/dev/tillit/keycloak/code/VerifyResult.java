package dev.tillit.keycloak.code;

import dev.tillit.keycloak.TillitMessages;
/** What became of an entered code. */
public enum VerifyResult {
    VALID(null),
    /** Wrong code, attempts remain. */
    INVALID(TillitMessages.CODE_INVALID),
    /** Too old: a new one must be requested. */
    EXPIRED(TillitMessages.CODE_EXPIRED),
    /** The attempt limit was reached: this code is dead, a new one must be requested. */
    TOO_MANY_ATTEMPTS(TillitMessages.CODE_TOO_MANY_ATTEMPTS),
    /** Too many wrong codes against this account or recipient today: a new code only after a wait. */
    PAUSED(TillitMessages.CODE_GUESSING_PAUSED),
    /** No code is pending for this step (never sent, or already used). Shown like a wrong code. */
    NONE_PENDING(TillitMessages.CODE_INVALID);

    private final String messageKey;

    VerifyResult(String messageKey) {
        this.messageKey = messageKey;
    }

    public String messageKey() {
        return messageKey;
    }
}
