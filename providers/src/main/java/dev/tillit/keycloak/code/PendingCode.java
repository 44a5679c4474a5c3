package dev.tillit.keycloak.code;

import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The code pending for one step ("purpose") of one sign-in, kept in the auth session's notes so
 * that any node of the cluster can verify a code another node sent: its id (which keys its
 * attempt counter in the cluster store), its salted hash, its expiry and the recipient it is
 * bound to. The time of the last send is kept apart: it outlives the code, so starting over
 * cannot skip the resend cooldown.
 */
final class PendingCode {

    private static final String PREFIX = "tillit.code.";
    private static final String[] CODE_NOTES = {"id", "hash", "salt", "expires", "channel", "target", "subject", "user",
            "delivery", "shown", "dead"};

    private final AuthenticationSessionModel authSession;
    private final String prefix;

    PendingCode(AuthenticationSessionModel authSession, String purpose) {
        this.authSession = authSession;
        this.prefix = PREFIX + purpose + ".";
    }

    void store(String id, String hash, String salt, long expiresAt, CodeRecipient recipient, long sentAt) {
        note("id", id);
        note("hash", hash);
        note("salt", salt);
        note("expires", Long.toString(expiresAt));
        note("channel", recipient.channel().name());
        note("target", recipient.target());
        note("subject", recipient.subject());
        note("user", recipient.userId());
        note("delivery", recipient.delivery().name());
        note("shown", recipient.shown());
        note("sent", Long.toString(sentAt));
        note("dead", null);
    }

    boolean exists() {
        return get("hash") != null;
    }

    String id() {
        return get("id");
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

    /** When a code for this step was last sent (0 if never); survives {@link #discard()}. */
    long sentAt() {
        return number("sent");
    }

    /** The recipient the pending code is bound to, or null when none is pending. */
    CodeRecipient recipient() {
        if (get("channel") == null) {
            return null;
        }
        return new CodeRecipient(CodeChannel.valueOf(get("channel")), get("target"), get("subject"), get("user"),
                CodeRecipient.Delivery.valueOf(get("delivery")), get("shown"));
    }

    /** The code and its binding are gone; only the time of the last send remains (for the cooldown). */
    void discard() {
        for (String key : CODE_NOTES) {
            authSession.removeAuthNote(prefix + key);
        }
    }

    /** Kills the code but keeps whom it was for, so the code page can still offer a new one. */
    void kill(VerifyResult why) {
        authSession.removeAuthNote(prefix + "hash");
        authSession.removeAuthNote(prefix + "salt");
        note("dead", why.name());
    }

    /** Why the last code of this step died (what a further entry is told), or null. */
    VerifyResult deadBecause() {
        String why = get("dead");
        return why == null ? null : VerifyResult.valueOf(why);
    }

    private void note(String key, String value) {
        if (value == null) {
            authSession.removeAuthNote(prefix + key);
        } else {
            authSession.setAuthNote(prefix + key, value);
        }
    }

    private String get(String key) {
        return authSession.getAuthNote(prefix + key);
    }

    private long number(String key) {
        String value = get(key);
        return value == null ? 0 : Long.parseLong(value);
    }
}
