package dev.tillit.keycloak.phone;

/**
 * What {@link PhoneNumbers#parse} made of an input: either a number ({@code e164} and
 * {@code regionCode} set, {@code error} null) or a theme message key ({@code error} set, the
 * others null). Never both, never neither.
 *
 * @param e164       the number in E.164 form, e.g. {@code +46701234567}
 * @param regionCode ISO 3166-1 alpha-2 code of the country the number belongs to, e.g. {@code SE}
 *                   ({@code 001} for the few non-geographic mobile ranges)
 * @param error      a message key ({@code tillitPhone...}) to show next to the field
 */
public record PhoneNumberResult(String e164, String regionCode, String error) {

    public PhoneNumberResult {
        if ((error == null) == (e164 == null)) {
            throw new IllegalArgumentException("exactly one of e164 and error must be set");
        }
    }

    static PhoneNumberResult of(String e164, String regionCode) {
        return new PhoneNumberResult(e164, regionCode, null);
    }

    static PhoneNumberResult error(String messageKey) {
        return new PhoneNumberResult(null, null, messageKey);
    }

    public boolean isValid() {
        return error == null;
    }
}
