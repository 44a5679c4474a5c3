package dev.tillit.keycloak.code;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class CodeHasherTest {

    private static final CodeRecipient MINE = CodeRecipient.account(CodeChannel.SMS, "+46701111111", "u-1", "x");
    private static final String BINDING = CodeHasher.binding("reset", MINE);
    private final SecureRandom random = new SecureRandom();

    @Test
    void onlyTheRightCodeMatches() {
        String salt = CodeHasher.newSalt(random);
        String hash = CodeHasher.hash("123456", salt, BINDING);
        assertTrue(CodeHasher.matches("123456", salt, BINDING, hash));
        assertFalse(CodeHasher.matches("123457", salt, BINDING, hash));
        assertFalse(CodeHasher.matches("", salt, BINDING, hash));
    }

    @Test
    void theHashNeitherContainsTheCodeNorRepeatsAcrossSalts() {
        String a = CodeHasher.hash("123456", CodeHasher.newSalt(random), BINDING);
        String b = CodeHasher.hash("123456", CodeHasher.newSalt(random), BINDING);
        assertNotEquals(a, b);
        assertFalse(a.contains("123456"));
    }

    @Test
    void aHashUnderAnotherSaltDoesNotMatch() {
        String hash = CodeHasher.hash("123456", CodeHasher.newSalt(random), BINDING);
        assertFalse(CodeHasher.matches("123456", CodeHasher.newSalt(random), BINDING, hash));
    }

    @Test
    void theRightCodeForAnotherAccountRecipientOrPurposeDoesNotMatch() {
        String salt = CodeHasher.newSalt(random);
        String hash = CodeHasher.hash("123456", salt, BINDING);
        CodeRecipient victim = CodeRecipient.account(CodeChannel.SMS, "+46702222222", "u-2", "x");
        CodeRecipient sameNumberOtherAccount = CodeRecipient.account(CodeChannel.SMS, "+46701111111", "u-2", "x");
        CodeRecipient sameAccountOtherRecipient = CodeRecipient.account(CodeChannel.EMAIL, "a@b.example", "u-1", "x");
        assertFalse(CodeHasher.matches("123456", salt, CodeHasher.binding("reset", victim), hash));
        assertFalse(CodeHasher.matches("123456", salt, CodeHasher.binding("reset", sameNumberOtherAccount), hash));
        assertFalse(CodeHasher.matches("123456", salt, CodeHasher.binding("reset", sameAccountOtherRecipient), hash));
        assertFalse(CodeHasher.matches("123456", salt, CodeHasher.binding("register", MINE), hash));
    }
}
