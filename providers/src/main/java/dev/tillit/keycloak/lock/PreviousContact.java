package dev.tillit.keycloak.lock;

/**
 * What an account's contact was before a change, so the notice reaches it too. Either field may
 * be null (unchanged, or there was none). {@code phoneVerified}: the previous number had been
 * proved; only a proved number gets an SMS, as for the current one.
 */
public record PreviousContact(String email, String phone, boolean phoneVerified) {

    public static final PreviousContact NONE = new PreviousContact(null, null, false);

    public static PreviousContact email(String email) {
        return new PreviousContact(email, null, false);
    }

    public static PreviousContact phone(String phone, boolean verified) {
        return new PreviousContact(null, phone, verified);
    }
}
