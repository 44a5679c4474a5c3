package dev.tillit.keycloak.phone;

import dev.tillit.keycloak.TillitMessages;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Turns what people type into a phone field into one canonical E.164 number, so that the same
 * phone is stored, looked up and messaged the same way whichever spelling was used
 * ({@code +46 70-123 45 67}, {@code 0046701234567}, {@code 070-123 45 67}).
 */
public final class PhoneNumbers {

    public static final String ERROR_REQUIRED = TillitMessages.PHONE_REQUIRED;
    public static final String ERROR_INVALID = TillitMessages.PHONE_INVALID;
    public static final String ERROR_NOT_MOBILE = TillitMessages.PHONE_NOT_MOBILE;

    /** Longer than any real number with generous spacing; keeps junk away from the parser. */
    static final int MAX_INPUT_LENGTH = 32;

    /** Fewer digits than this is a PIN or a short username, not a phone number. */
    static final int MIN_DIGITS = 6;

    /** Immutable and thread-safe; loads its metadata once. */
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * @param input         what the user typed
     * @param defaultRegion ISO 3166-1 alpha-2 region assumed for numbers written without a country
     *                      code (e.g. {@code SE}); null when only international numbers are accepted
     * @return the E.164 number and its region, or the message key of what is wrong
     */
    public static PhoneNumberResult parse(String input, String defaultRegion) {
        if (input == null || input.isBlank()) {
            return PhoneNumberResult.error(ERROR_REQUIRED);
        }
        String trimmed = input.strip();
        if (trimmed.length() > MAX_INPUT_LENGTH) {
            return PhoneNumberResult.error(ERROR_INVALID);
        }
        String compact = compact(trimmed);
        if (compact == null) {
            return PhoneNumberResult.error(ERROR_INVALID);
        }

        String region = defaultRegion == null || defaultRegion.isBlank() ? "ZZ" : defaultRegion.strip().toUpperCase();
        PhoneNumber number = parseValid(compact, region);
        if (number == null && compact.startsWith("00")) {
            // 00 is the international prefix almost everywhere, but libphonenumber only reads it
            // as one for regions that dial it (not e.g. US or unknown): someone in Sweden with an
            // account set to US still types 0046.
            number = parseValid("+" + compact.substring(2), region);
        }
        if (number == null) {
            return PhoneNumberResult.error(ERROR_INVALID);
        }

        PhoneNumberType type = UTIL.getNumberType(number);
        if (type != PhoneNumberType.MOBILE && type != PhoneNumberType.FIXED_LINE_OR_MOBILE) {
            // Codes go out by SMS: a landline, toll-free or premium number would never receive them.
            return PhoneNumberResult.error(ERROR_NOT_MOBILE);
        }
        return PhoneNumberResult.of(UTIL.format(number, PhoneNumberFormat.E164), UTIL.getRegionCodeForNumber(number));
    }

    /** {@code +46701234567} → {@code +46 70 123 45 67}, as people write their own number; the input when it is not a number. */
    public static String international(String e164) {
        try {
            return UTIL.format(UTIL.parse(e164, "ZZ"), PhoneNumberFormat.INTERNATIONAL);
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return e164;
        }
    }

    /**
     * Whether an identifier field's value is meant as a phone number rather than a username or
     * an email address: only digits, spaces, {@code + - . ( )}, and at least six digits.
     */
    public static boolean looksLikePhone(String input) {
        if (input == null) {
            return false;
        }
        int digits = 0;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (isAsciiDigit(c)) {
                digits++;
            } else if (!isSeparator(c) && c != '+') {
                return false;
            }
        }
        return digits >= MIN_DIGITS;
    }

    /**
     * Digits with an optional leading {@code +}, separators removed; null when anything else is
     * in the input (letters: no vanity numbers or extensions; other symbols; a misplaced {@code +}).
     */
    private static String compact(String input) {
        StringBuilder out = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (isAsciiDigit(c)) {
                out.append(c);
            } else if (c == '+' && out.length() == 0) {
                out.append(c);
            } else if (!isSeparator(c)) {
                return null;
            }
        }
        return out.length() == 0 || "+".contentEquals(out) ? null : out.toString();
    }

    private static PhoneNumber parseValid(String compact, String region) {
        try {
            PhoneNumber number = UTIL.parse(compact, region);
            return UTIL.isValidNumber(number) ? number : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Spaces (including the no-break space that copying from web pages brings), - . ( ) */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\u00A0' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')';
    }
}
