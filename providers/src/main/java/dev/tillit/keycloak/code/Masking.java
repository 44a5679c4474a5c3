package dev.tillit.keycloak.code;

/** Shows enough of a recipient for the user to recognise it, not enough to harvest it. */
public final class Masking {

    private Masking() {
    }

    public static String recipient(CodeChannel channel, String target) {
        return channel == CodeChannel.SMS ? phone(target) : email(target);
    }

    /** {@code +46701234567} → {@code +46 ••• ••• 67} (joined by no-break spaces). */
    static String phone(String e164) {
        if (e164 == null || e164.length() < 6) {
            return "•••";
        }
        // No-break spaces: the masked number must not wrap across lines.
        return e164.substring(0, 3) + "\u00a0•••\u00a0•••\u00a0" + e164.substring(e164.length() - 2);
    }

    /** Email addresses are shown as typed: the person at the keyboard entered it. */
    static String email(String address) {
        return address;
    }
}
