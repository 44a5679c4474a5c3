package dev.tillit.keycloak.code;

import java.util.ArrayList;
import java.util.List;

/**
 * Whom one code step is about, fixed when the person submits the first screen: the channel and
 * exact recipient (E.164 number or lower-case email) a code goes to, the account it proves
 * ({@code subject}: a user id, or for sign-up the identifier itself), and what is really sent.
 * A code is bound to all of it: {@link CodeHasher} mixes purpose, subject, channel and target into
 * the hash, so a code issued for one recipient never verifies for another.
 *
 * @param shown what the code page may repeat back (what was typed, a number masked)
 */
public record CodeRecipient(CodeChannel channel, String target, String subject, String userId, Delivery delivery,
                            String shown) {

    /** What actually leaves the server when a "code" is sent. */
    public enum Delivery {
        /** A real code to the recipient. */
        CODE,
        /** A notice instead of a code (sign-up with a taken identifier); the owner learns of the attempt. */
        NOTICE,
        /** Nothing at all (reset for an identifier that proves no account); the same motions otherwise. */
        DECOY
    }

    public static CodeRecipient account(CodeChannel channel, String target, String userId, String shown) {
        return new CodeRecipient(channel, target, "user:" + userId, userId, Delivery.CODE, shown);
    }

    public static CodeRecipient decoy(CodeChannel channel, String target, String shown) {
        return new CodeRecipient(channel, target, "identifier:" + target, null, Delivery.DECOY, shown);
    }

    public static CodeRecipient newIdentifier(CodeChannel channel, String target, String shown) {
        return new CodeRecipient(channel, target, "identifier:" + target, null, Delivery.CODE, shown);
    }

    public static CodeRecipient takenIdentifier(CodeChannel channel, String target, String ownerId, String shown) {
        // The subject is the identifier, exactly as for a free one: nothing in the binding tells them apart.
        return new CodeRecipient(channel, target, "identifier:" + target, ownerId, Delivery.NOTICE, shown);
    }

    /**
     * Whose wrong-guess budget a wrong code spends: the account's and the recipient's, so neither
     * new tabs nor resends nor switching between email and phone buy more guesses.
     */
    List<String> guessSubjects() {
        List<String> subjects = new ArrayList<>();
        subjects.add("recipient:" + target);
        if (subject.startsWith("user:")) {
            subjects.add(subject);
        }
        return subjects;
    }
}
