package dev.tillit.keycloak.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class CodeDerivationTest {

    private static final SecretKey KEY = new SecretKeySpec(new byte[64], "HmacSHA512");
    private static final SecretKey OTHER_KEY = new SecretKeySpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "HmacSHA512");

    @Test
    void theSameSeedAndBindingGiveTheSameCode() {
        String code = CodeDerivation.derive(KEY, "nonce-1", "register\nuser:1\nSMS\n+46701234567");
        assertTrue(code.matches("[0-9]{6}"), code);
        assertEquals(code, CodeDerivation.derive(KEY, "nonce-1", "register\nuser:1\nSMS\n+46701234567"));
    }

    @Test
    void nonceKeyAndBindingEachChangeTheCode() {
        String binding = "reset\nuser:1\nEMAIL\na@b.example";
        // Six digits collide one time in a million: compare over several nonces, not one.
        int sameNonce = 0;
        int sameKey = 0;
        int sameBinding = 0;
        for (int i = 0; i < 50; i++) {
            String code = CodeDerivation.derive(KEY, "n" + i, binding);
            sameNonce += code.equals(CodeDerivation.derive(KEY, "m" + i, binding)) ? 1 : 0;
            sameKey += code.equals(CodeDerivation.derive(OTHER_KEY, "n" + i, binding)) ? 1 : 0;
            sameBinding += code.equals(CodeDerivation.derive(KEY, "n" + i, binding + "x")) ? 1 : 0;
        }
        assertTrue(sameNonce <= 1 && sameKey <= 1 && sameBinding <= 1, sameNonce + " " + sameKey + " " + sameBinding);
    }

    /** Every digit position is (roughly) uniform: no digit is favoured by a modulo reduction. */
    @Test
    void digitsAreUniform() {
        int draws = 100_000;
        int[] leading = new int[10];
        for (int i = 0; i < draws; i++) {
            leading[CodeDerivation.derive(KEY, Integer.toString(i), "b").charAt(0) - '0']++;
        }
        for (int count : leading) {
            // 10 000 expected per digit; 5 standard deviations is about ±475.
            assertTrue(Math.abs(count - draws / 10) < 500, java.util.Arrays.toString(leading));
        }
        assertNotEquals(CodeDerivation.derive(KEY, "a", "b"), CodeDerivation.derive(KEY, "a", "c"));
    }
}
