package dev.tillit.keycloak.code;

import dev.tillit.keycloak.TillitMessages;
/**
 * What became of a request to send a code. Anything but {@link #SENT} and {@link #SENT_AGAIN} means nothing was sent:
 * the page stays where it was, and no code page appears for an identifier that got no code.
 */
public enum SendResult {
    SENT(TillitMessages.CODE_SENT),
    /** The step's live code for the same recipient went out again, unchanged (same expiry, same attempts). */
    SENT_AGAIN(TillitMessages.CODE_SENT_AGAIN),
    /** The resend cooldown has not passed; the page shows how long to wait. */
    COOLDOWN(TillitMessages.CODE_RESEND_WAIT),
    /** An hourly limit (recipient, client network, realm or country SMS budget) is reached. */
    LIMITED(TillitMessages.CODE_SEND_LIMIT),
    /** The number's country is not on the realm's SMS allow-list. */
    COUNTRY_NOT_ALLOWED(TillitMessages.SMS_COUNTRY_NOT_ALLOWED),
    /** Too many wrong codes against this account or recipient: new codes only after a wait. */
    PAUSED(TillitMessages.CODE_GUESSING_PAUSED),
    /** The gateway (SMS or SMTP) failed or timed out; nothing was consumed. */
    DELIVERY_FAILED(TillitMessages.CODE_DELIVERY_FAILED);

    private final String messageKey;

    SendResult(String messageKey) {
        this.messageKey = messageKey;
    }

    /** True when a code is on its way (new or the same again): the code page shows. */
    public boolean issued() {
        return this == SENT || this == SENT_AGAIN;
    }

    public String messageKey() {
        return messageKey;
    }
}
