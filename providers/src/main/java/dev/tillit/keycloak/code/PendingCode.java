package dev.tillit.keycloak.code;

import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The code pending for one step ("purpose") of one sign-in, kept in the auth session's notes so
 * that any node of the cluster can verify a code another node sent. Only the salted hash is kept.
 */
final class PendingCode {

    private static final String PREFIX = "tillit.code.";

    private final AuthenticationSessionModel authSession;
    private final String prefix;

    PendingCode(AuthenticationSessionModel authSession, String purpose) {
        this.authSession = authSession;
        this.prefix = PREFIX + purpose + ".";
    }

    void store(String hash, String salt, long expiresAt, CodeChannel channel, String target, long sentAt) {
        note("hash", hash);
        note("salt", salt);
        note("expires", Long.toString(expiresAt));
        note("attempts", "0");
        note("channel", channel.name());
        note("target", target);
        note("sent", Long.toString(sentAt));
    }

    /** Marks that a code was "sent" without one being issued (see {@code OneTimeCodes#pretendSent}). */
    void storeDecoy(CodeChannel channel, String target, long sentAt, long expiresAt) {
        clearCode();
        note("expires", Long.toString(expiresAt));
        note("attempts", "0");
        note("channel", channel.name());
        note("target", target);
        note("sent", Long.toString(sentAt));
    }

    boolean exists() {
        return get("expires") != null;
    }

    String hash() {
        return get("hash");
    }

    String salt() {
        return get("salt");
    }

    long expiresAt() {
        return number("expires");
    }

    long sentAt() {
        return number("sent");
    }

    int attempts() {
        return (int) number("attempts");
    }

    void attempts(int attempts) {
        note("attempts", Integer.toString(attempts));
    }

    String target() {
        return get("target");
    }

    CodeChannel channel() {
        String channel = get("channel");
        return channel == null ? null : CodeChannel.valueOf(channel);
    }

    /** Kills the code but remembers when it was sent, so the resend cooldown still holds. */
    void clearCode() {
        authSession.removeAuthNote(prefix + "hash");
        authSession.removeAuthNote(prefix + "salt");
    }

    void clearAll() {
        for (String key : new String[] {"hash", "salt", "expires", "attempts", "channel", "target", "sent"}) {
            authSession.removeAuthNote(prefix + key);
        }
    }

    private void note(String key, String value) {
        authSession.setAuthNote(prefix + key, value);
    }

    private String get(String key) {
        return authSession.getAuthNote(prefix + key);
    }

    private long number(String key) {
        String value = get(key);
        return value == null ? 0 : Long.parseLong(value);
    }
}
