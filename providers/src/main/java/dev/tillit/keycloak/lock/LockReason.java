package dev.tillit.keycloak.lock;

import dev.tillit.keycloak.TillitMessages;
import java.time.Duration;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Why withdrawals are being locked. Each reason names itself in the lock event
 * ({@code Details.REASON}), in the notice mail and in the notice SMS; the durations come from the
 * three settings on the Tillit page (email and phone changes share the identifier duration).
 */
public enum LockReason {
    PASSWORD_RESET(TillitEvents.PASSWORD_RESET, TillitMessages.LOCK_REASON_PASSWORD_RESET, TillitMessages.SMS_LOCK_PASSWORD_RESET),
    PASSWORD_CHANGED(TillitEvents.PASSWORD_CHANGED, TillitMessages.LOCK_REASON_PASSWORD_CHANGED, TillitMessages.SMS_LOCK_PASSWORD_CHANGED),
    SECOND_FACTOR_REMOVED(TillitEvents.SECOND_FACTOR_REMOVED, TillitMessages.LOCK_REASON_SECOND_FACTOR, TillitMessages.SMS_LOCK_SECOND_FACTOR),
    EMAIL_CHANGED(TillitEvents.EMAIL_CHANGED, TillitMessages.LOCK_REASON_EMAIL, TillitMessages.SMS_LOCK_EMAIL),
    PHONE_CHANGED(TillitEvents.PHONE_CHANGED, TillitMessages.LOCK_REASON_PHONE, TillitMessages.SMS_LOCK_PHONE),
    /** The user disowned a sign-in ("this wasn't me" in a new-device alert). */
    SUSPICIOUS_SIGN_IN(TillitEvents.SUSPICIOUS_SIGN_IN, TillitMessages.LOCK_REASON_SUSPICIOUS_SIGN_IN,
            TillitMessages.SMS_LOCK_SUSPICIOUS_SIGN_IN),
    /**
     * An identity provider was linked to the account, by any path: a linked identity is a way in.
     * Notice mail sentence {0} = the provider; notice SMS {0} = the lock's end, {1} = the provider,
     * {2} = the "this was not me" link.
     */
    IDENTITY_LINKED(TillitEvents.IDENTITY_LINKED, TillitMessages.LOCK_REASON_IDENTITY_LINKED,
            TillitMessages.SMS_LOCK_IDENTITY_LINKED);

    private final String detail;
    private final String mailKey;
    private final String smsKey;

    LockReason(String detail, String mailKey, String smsKey) {
        this.detail = detail;
        this.mailKey = mailKey;
        this.smsKey = smsKey;
    }

    /** The value of {@code Details.REASON} on the lock event. */
    public String detail() {
        return detail;
    }

    /** Email theme message key of the sentence that states the reason. */
    public String mailKey() {
        return mailKey;
    }

    /** Login theme message key of the whole notice SMS ({0} = the lock's end). */
    public String smsKey() {
        return smsKey;
    }

    /** An email address or phone number changed: the previous one is told too, even if a lock already holds. */
    public boolean isContactChange() {
        return this == EMAIL_CHANGED || this == PHONE_CHANGED;
    }

    /**
     * Whether the owner is told even when a longer lock already holds: a contact change (the previous
     * address hears of it) and a newly linked identity (a new way in, with its "this was not me" link).
     */
    public boolean toldEvenWhenLocked() {
        return isContactChange() || this == IDENTITY_LINKED;
    }

    /**
     * Whether this change also removes every identity linked to the account (Google, Apple,
     * Telegram, ...): after a reset or a disowned sign-in, whoever linked one may not be the owner,
     * and a linked identity signs in without the password. The owner links again afterwards, with
     * the password and the second factor.
     */
    public boolean removesLinkedIdentities() {
        return this == PASSWORD_RESET || this == SUSPICIOUS_SIGN_IN;
    }

    /**
     * Whether this change also revokes every trusted device ("remember this device"): whoever
     * reset or changed the password, removed a factor or disowned a sign-in may not be the one
     * who trusted those devices, so none of them may skip the second factor any more.
     */
    public boolean revokesTrustedDevices() {
        return this == PASSWORD_RESET || this == PASSWORD_CHANGED || this == SECOND_FACTOR_REMOVED || this == SUSPICIOUS_SIGN_IN;
    }

    Duration duration(TillitSettings settings) {
        return switch (this) {
            case PASSWORD_RESET, PASSWORD_CHANGED -> settings.lockAfterPasswordChange();
            case SECOND_FACTOR_REMOVED -> settings.lockAfterSecondFactorRemoval();
            case EMAIL_CHANGED, PHONE_CHANGED -> settings.lockAfterIdentifierChange();
            case SUSPICIOUS_SIGN_IN -> settings.lockAfterDisownedSignIn();
            case IDENTITY_LINKED -> settings.lockAfterIdentityLinked();
        };
    }
}
