package dev.tillit.keycloak.code;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class CodeHasherTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void onlyTheRightCodeMatches() {
        String salt = CodeHasher.newSalt(random);
        String hash = CodeHasher.hash("123456", salt);
        assertTrue(CodeHasher.matches("123456", salt, hash));
        assertFalse(CodeHasher.matches("123457", salt, hash));
        assertFalse(CodeHasher.matches("", salt, hash));
    }

    @Test
    void theHashNeitherContainsTheCodeNorRepeatsAcrossSalts() {
        String a = CodeHasher.hash("123456", CodeHasher.newSalt(random));
        String b = CodeHasher.hash("123456", CodeHasher.newSalt(random));
        assertNotEquals(a, b);
        assertFalse(a.contains("123456"));
    }

    @Test
    void aHashUnderAnotherSaltDoesNotMatch() {
        String hash = CodeHasher.hash("123456", CodeHasher.newSalt(random));
        assertFalse(CodeHasher.matches("123456", CodeHasher.newSalt(random), hash));
    }
}
