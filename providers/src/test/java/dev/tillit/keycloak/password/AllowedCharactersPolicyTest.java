package dev.tillit.keycloak.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.policy.PolicyError;

class AllowedCharactersPolicyTest {

    private static final String SET = AllowedCharactersPolicyFactory.DEFAULT_SPECIALS;

    @Test
    void everyCharacterOfTheSetLettersAndDigitsPass() {
        assertNull(AllowedCharactersPolicy.check(SET, SET + "abcXYZ0189"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<", ">", "&", " ", "€", "å", "Ä", "\"", "'", "\\", "\t", "é", "ß", "١"})
    void anythingElseIsRefused(String bad) {
        PolicyError error = AllowedCharactersPolicy.check(SET, "Abcdef1!" + bad);
        assertNotNull(error, "accepted " + bad);
        assertEquals(AllowedCharactersPolicy.ERROR, error.getMessage());
        assertEquals(SET, error.getParameters()[0]);
    }

    @Test
    void theSetIsConfiguration() {
        assertNull(AllowedCharactersPolicy.check("!", "Abcdef1!"));
        assertNotNull(AllowedCharactersPolicy.check("!", "Abcdef1?"));
    }
}
