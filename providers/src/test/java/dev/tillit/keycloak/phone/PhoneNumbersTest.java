package dev.tillit.keycloak.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    private static final String SE_MOBILE = "+46701234567";

    @ParameterizedTest
    @ValueSource(strings = {
            "+46 70-123 45 67",
            "0046701234567",
            "070-123 45 67",
            "(070) 123 45 67",
            "070.123.45.67",
            "  +46701234567  ",
            "+46 (0)70-123 45 67",
            "070\u00A0123\u00A045\u00A067",
    })
    void swedishMobileInTheWaysPeopleTypeIt(String input) {
        PhoneNumberResult result = PhoneNumbers.parse(input, "SE");
        assertEquals(SE_MOBILE, result.e164(), input);
        assertEquals("SE", result.regionCode());
        assertNull(result.error());
        assertTrue(result.isValid());
    }

    @Test
    void internationalPrefix00IsUnderstoodWhateverTheDefaultRegion() {
        // US dials 011 abroad, so libphonenumber alone would not read 0046 as +46.
        assertEquals(SE_MOBILE, PhoneNumbers.parse("0046701234567", "US").e164());
        assertEquals(SE_MOBILE, PhoneNumbers.parse("0046 70 123 45 67", null).e164());
    }

    @Test
    void swedishLandlineIsNotMobile() {
        PhoneNumberResult result = PhoneNumbers.parse("08-123 456 78", "SE");
        assertEquals(PhoneNumbers.ERROR_NOT_MOBILE, result.error());
        assertNull(result.e164());
        assertNull(result.regionCode());
        assertFalse(result.isValid());
    }

    @Test
    void usNumber() {
        // US numbers do not tell mobile from landline (FIXED_LINE_OR_MOBILE): accepted.
        PhoneNumberResult result = PhoneNumbers.parse("+1 (650) 253-0000", "SE");
        assertEquals("+16502530000", result.e164());
        assertEquals("US", result.regionCode());
        assertEquals("+16502530000", PhoneNumbers.parse("650.253.0000", "US").e164());
    }

    @Test
    void otherDefaultRegion() {
        PhoneNumberResult norwegian = PhoneNumbers.parse("412 34 567", "NO");
        assertEquals("+4741234567", norwegian.e164());
        assertEquals("NO", norwegian.regionCode());
        // The same national digits mean something else (or nothing) under another default.
        assertFalse(PhoneNumbers.parse("412 34 567", "SE").isValid());
        // A number with its country code keeps its own region whatever the default.
        PhoneNumberResult swedish = PhoneNumbers.parse("+46 70 123 45 67", "no");
        assertEquals(SE_MOBILE, swedish.e164());
        assertEquals("SE", swedish.regionCode());
    }

    @Test
    void nationalNumberWithoutRegionIsInvalid() {
        assertEquals(PhoneNumbers.ERROR_INVALID, PhoneNumbers.parse("070-123 45 67", null).error());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hello",
            "123",
            "+",
            "---",
            "+46 70 123",             // too short
            "+46 70 123 45 67 89 01", // too long for Sweden
            "+46+701234567",          // misplaced plus
            "070-123 45 67#",
            "070/123 45 67",
            "+999 123 456 789",       // no such country code
    })
    void garbageIsInvalid(String input) {
        assertEquals(PhoneNumbers.ERROR_INVALID, PhoneNumbers.parse(input, "SE").error(), input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-800-FLOWERS", "070 123 45 67 ext 12", "+46 7O1 234 567", "070١٢٣٤٥٦٧"})
    void lettersAndNonAsciiDigitsAreInvalid(String input) {
        assertEquals(PhoneNumbers.ERROR_INVALID, PhoneNumbers.parse(input, "US").error(), input);
    }

    @Test
    void longerThan32CharactersIsInvalidEvenWhenTheDigitsAreFine() {
        String atLimit = "+46" + " ".repeat(20) + "701234567";
        assertEquals(32, atLimit.length());
        assertEquals(SE_MOBILE, PhoneNumbers.parse(atLimit, "SE").e164());

        String overLimit = "+46" + " ".repeat(21) + "701234567";
        assertEquals(PhoneNumbers.ERROR_INVALID, PhoneNumbers.parse(overLimit, "SE").error());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void blankIsRequired(String input) {
        assertEquals(PhoneNumbers.ERROR_REQUIRED, PhoneNumbers.parse(input, "SE").error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+46701234567", "070-123 45 67", "(070) 123.45.67", "123456", "+1 650 253 0000"})
    void looksLikePhone(String input) {
        assertTrue(PhoneNumbers.looksLikePhone(input), input);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"demo", "demo@tillit.example", "12345", "+46 70", "0701234567a", "070_1234567", "070/1234567"})
    void doesNotLookLikePhone(String input) {
        assertFalse(PhoneNumbers.looksLikePhone(input), input);
    }

    @Test
    void resultHoldsEitherANumberOrAnError() {
        assertThrows(IllegalArgumentException.class, () -> new PhoneNumberResult(null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PhoneNumberResult(SE_MOBILE, "SE", PhoneNumbers.ERROR_INVALID));
    }
}
