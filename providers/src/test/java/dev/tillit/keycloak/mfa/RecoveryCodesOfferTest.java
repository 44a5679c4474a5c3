package dev.tillit.keycloak.mfa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which set-ups lead to recovery codes: every second factor, never the codes themselves or a password. */
class RecoveryCodesOfferTest {

    @ParameterizedTest
    @ValueSource(strings = {"otp", "webauthn", "webauthn-passwordless", "tillit-sms-otp", "tillit-email-otp"})
    void aSecondFactorLeadsToRecoveryCodes(String type) {
        assertTrue(RecoveryCodesOffer.followsSetUpOf(type));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"recovery-authn-codes", "password", "totp", ""})
    void anythingElseDoesNot(String type) {
        assertFalse(RecoveryCodesOffer.followsSetUpOf(type));
    }
}
