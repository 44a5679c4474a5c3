package dev.tillit.keycloak.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

class WithdrawalLockEventListenerTest {

    @Test
    void passwordChangesLock() {
        assertEquals(LockReason.PASSWORD_CHANGED, WithdrawalLockEventListener.reasonFor(EventType.UPDATE_PASSWORD, Map.of()));
        assertEquals(LockReason.PASSWORD_CHANGED, WithdrawalLockEventListener.reasonFor(EventType.RESET_PASSWORD, Map.of()));
        assertEquals(LockReason.PASSWORD_CHANGED, WithdrawalLockEventListener.reasonFor(EventType.UPDATE_CREDENTIAL,
                Map.of("credential_type", "password")));
    }

    @Test
    void theResetStepLocksItselfSoItsEventIsSkipped() {
        assertNull(WithdrawalLockEventListener.reasonFor(EventType.RESET_PASSWORD, Map.of("tillit_event", "password_reset")));
    }

    @Test
    void secondFactorRemovalLocks() {
        assertEquals(LockReason.SECOND_FACTOR_REMOVED, WithdrawalLockEventListener.reasonFor(EventType.REMOVE_TOTP, Map.of()));
        assertEquals(LockReason.SECOND_FACTOR_REMOVED, WithdrawalLockEventListener.reasonFor(EventType.REMOVE_CREDENTIAL,
                Map.of("credential_type", "otp")));
        assertNull(WithdrawalLockEventListener.reasonFor(EventType.REMOVE_CREDENTIAL, Map.of("credential_type", "password")));
    }

    @Test
    void identifierChangesLock() {
        assertEquals(LockReason.IDENTIFIER_CHANGED, WithdrawalLockEventListener.reasonFor(EventType.UPDATE_EMAIL, Map.of()));
        assertEquals(LockReason.IDENTIFIER_CHANGED, WithdrawalLockEventListener.reasonFor(EventType.UPDATE_PROFILE,
                Map.of("updated_email", "new@tillit.example")));
        assertNull(WithdrawalLockEventListener.reasonFor(EventType.UPDATE_PROFILE, Map.of("updated_first_name", "X")));
        assertNull(WithdrawalLockEventListener.reasonFor(EventType.LOGIN, Map.of()));
    }
}
