package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.phone.PhoneNumberResult;
import dev.tillit.keycloak.phone.PhoneNumbers;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;

/**
 * A sign-up identifier after parsing: an email address (lower-cased) or an E.164 phone number,
 * or the message key saying why the input is neither.
 */
public record Identifier(CodeChannel channel, String value, String error) {

    private static final int MAX_LENGTH = 254;

    public static Identifier parse(String input, String defaultRegion) {
        String trimmed = input == null ? "" : input.trim();
        if (trimmed.isEmpty()) {
            return new Identifier(null, null, TillitMessages.IDENTIFIER_REQUIRED);
        }
        if (trimmed.length() > MAX_LENGTH) {
            return new Identifier(null, null, TillitMessages.IDENTIFIER_INVALID);
        }
        if (trimmed.contains("@")) {
            return Validation.isEmailValid(trimmed)
                    ? new Identifier(CodeChannel.EMAIL, trimmed.toLowerCase(java.util.Locale.ROOT), null)
                    : new Identifier(null, null, Messages.INVALID_EMAIL);
        }
        if (!PhoneNumbers.looksLikePhone(trimmed)) {
            return new Identifier(null, null, TillitMessages.IDENTIFIER_INVALID);
        }
        PhoneNumberResult phone = PhoneNumbers.parse(trimmed, defaultRegion);
        return phone.e164() != null
                ? new Identifier(CodeChannel.SMS, phone.e164(), null)
                : new Identifier(null, null, phone.error());
    }

    public boolean valid() {
        return error == null;
    }
}
