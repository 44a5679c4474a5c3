package dev.tillit.keycloak.password;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NotPhoneNumberPolicyTest {

    @Test
    void passwordsContainingTheNumberAreRefusedHoweverWritten() {
        assertNotNull(NotPhoneNumberPolicy.check("+46701234567", "Pw!701234567"));
        assertNotNull(NotPhoneNumberPolicy.check("+46701234567", "Pw!70-123 45 67"));
        assertNotNull(NotPhoneNumberPolicy.check("+46701234567", "0701234567Aa!"));
    }

    @Test
    void otherPasswordsPass() {
        assertNull(NotPhoneNumberPolicy.check("+46701234567", "Pw!70123456"));
        assertNull(NotPhoneNumberPolicy.check(null, "Pw!701234567"));
        assertNull(NotPhoneNumberPolicy.check("garbage", "Pw!701234567"));
    }

    @Test
    void signUpHandsTheNumberAsUsername() {
        assertNotNull(new NotPhoneNumberPolicy().validate("+46701234567", "X!701234567a"));
        assertNull(new NotPhoneNumberPolicy().validate("someone@tillit.example", "X!701234567a"));
    }
}
