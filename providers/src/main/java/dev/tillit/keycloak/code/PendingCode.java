package dev.tillit.keycloak.code;

/**
 * The code pending for one step ("purpose") of one sign-in, kept in the auth session's notes so
 * that any node of the cluster can verify a code another node sent: its id (which keys its
 * attempt counter in the cluster store), its salted hash, its expiry, the recipient it is
 * bound to, and the random nonce (with the id of the realm key) from which the code itself
 * can be derived again for a resend ({@link CodeDerivation}) — never the code. The time of the last send is kept apart: it outlives the code, so starting over
 * cannot skip the resend cooldown.
 */
final class PendingCode {

    private static final String PREFIX = "tillit.code.";
    private static final String[] CODE_NOTES = {"id", "hash", "salt", "expires", "channel", "target", "subject", "user",
            "delivery", "shown", "dead", "nonce", "kid"};

    private final CodeNotes notes;
    private final String prefix;

    PendingCode(CodeNotes notes, String purpose) {
        this.notes = notes;
        this.prefix = PREFIX + purpose + ".";
    }

    void store(String id, String hash, String salt, long expiresAt, CodeRecipient recipient, long sentAt,
               CodeDerivation.Seed seed) {
        note("id", id);
        note("nonce", seed == null ? null : seed.nonce());
        note("kid", seed == null ? null : seed.kid());
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

    /** The same code was sent again: only the time of the last send moves (the expiry does not). */
    void resent(long sentAt) {
        note("sent", Long.toString(sentAt));
    }

    /** What the pending code can be derived from again, or null (codes issued before derivation existed). */
    CodeDerivation.Seed seed() {
        return get("nonce") == null || get("kid") == null ? null : new CodeDerivation.Seed(get("kid"), get("nonce"));
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
            notes.set(prefix + key, null);
        }
    }

    /** Kills the code but keeps whom it was for, so the code page can still offer a new one. */
    void kill(VerifyResult why) {
        notes.set(prefix + "hash", null);
        notes.set(prefix + "salt", null);
        notes.set(prefix + "nonce", null);
        note("dead", why.name());
    }

    /** Why the last code of this step died (what a further entry is told), or null. */
    VerifyResult deadBecause() {
        String why = get("dead");
        return why == null ? null : VerifyResult.valueOf(why);
    }

    private void note(String key, String value) {
        notes.set(prefix + key, value);
    }

    private String get(String key) {
        return notes.get(prefix + key);
    }

    private long number(String key) {
        String value = get(key);
        return value == null ? 0 : Long.parseLong(value);
    }
}
