package dev.tillit.keycloak.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.TillitEvents;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

class WithdrawalLockEventListenerTest {

    private static List<LockReason> reasons(EventType type, Map<String, String> details) {
        return WithdrawalLockEventListener.locksFor(type, details).stream().map(WithdrawalLockEventListener.Lock::reason).toList();
    }

    @Test
    void passwordChangesAndResetsLockWithTheirOwnReason() {
        assertEquals(List.of(LockReason.PASSWORD_CHANGED), reasons(EventType.UPDATE_PASSWORD, Map.of()));
        assertEquals(List.of(LockReason.PASSWORD_RESET), reasons(EventType.RESET_PASSWORD, Map.of()));
        assertEquals(List.of(LockReason.PASSWORD_CHANGED), reasons(EventType.UPDATE_CREDENTIAL, Map.of("credential_type", "password")));
        assertEquals(List.of(), reasons(EventType.UPDATE_CREDENTIAL, Map.of("credential_type", "otp")));
    }

    @Test
    void theResetStepLocksItselfSoItsEventIsSkipped() {
        assertEquals(List.of(), reasons(EventType.RESET_PASSWORD, Map.of("tillit_event", "password_reset")));
    }

    @Test
    void aLockEventIsNoNewChange() {
        assertEquals(List.of(), reasons(EventType.CUSTOM_REQUIRED_ACTION,
                Map.of("tillit_event", "withdrawal_locked", "reason", "phone_changed")));
    }

    @Test
    void secondFactorRemovalLocks() {
        assertEquals(List.of(LockReason.SECOND_FACTOR_REMOVED), reasons(EventType.REMOVE_TOTP, Map.of()));
        assertEquals(List.of(LockReason.SECOND_FACTOR_REMOVED), reasons(EventType.REMOVE_CREDENTIAL, Map.of("credential_type", "otp")));
        assertEquals(List.of(LockReason.SECOND_FACTOR_REMOVED), reasons(EventType.REMOVE_CREDENTIAL, Map.of("credential_type", "webauthn")));
        assertEquals(List.of(), reasons(EventType.REMOVE_CREDENTIAL, Map.of("credential_type", "password")));
    }

    @Test
    void emailChangesLockAndNameThePreviousAddress() {
        List<WithdrawalLockEventListener.Lock> locks = WithdrawalLockEventListener.locksFor(EventType.UPDATE_EMAIL,
                Map.of("previous_email", "old@tillit.example", "updated_email", "new@tillit.example"));
        assertEquals(1, locks.size());
        assertEquals(LockReason.EMAIL_CHANGED, locks.get(0).reason());
        assertEquals("old@tillit.example", locks.get(0).previous().email());

        assertEquals(List.of(LockReason.EMAIL_CHANGED), reasons(EventType.UPDATE_PROFILE,
                Map.of("previous_email", "old@tillit.example", "updated_email", "new@tillit.example")));
        assertEquals(List.of(LockReason.EMAIL_CHANGED), reasons(EventType.UPDATE_EMAIL, Map.of("updated_email", "first@tillit.example")));
    }

    @Test
    void sameEmailInOtherCaseIsNoChange() {
        assertEquals(List.of(), reasons(EventType.UPDATE_PROFILE,
                Map.of("previous_email", "Old@Tillit.example", "updated_email", "old@tillit.example")));
    }

    @Test
    void phoneChangesLockWithTheirOwnReason() {
        List<WithdrawalLockEventListener.Lock> locks = WithdrawalLockEventListener.locksFor(EventType.UPDATE_PROFILE,
                Map.of(TillitEvents.PREVIOUS_PHONE_NUMBER, "+46701234567", TillitEvents.UPDATED_PHONE_NUMBER, "+46709876543"));
        assertEquals(List.of(LockReason.PHONE_CHANGED), locks.stream().map(WithdrawalLockEventListener.Lock::reason).toList());
        assertEquals("+46701234567", locks.get(0).previous().phone());
    }

    @Test
    void otherProfileChangesAndEventsDoNotLock() {
        assertEquals(List.of(), reasons(EventType.UPDATE_PROFILE, Map.of("updated_first_name", "X")));
        assertEquals(List.of(), reasons(EventType.LOGIN, Map.of()));
        assertEquals(List.of(), reasons(EventType.LOGOUT, Map.of("reason", "password_reset")));
    }

    @Test
    void everyReasonHasItsOwnWordsAndDetail() {
        assertEquals(LockReason.values().length, java.util.Arrays.stream(LockReason.values()).map(LockReason::mailKey).distinct().count());
        assertEquals(LockReason.values().length, java.util.Arrays.stream(LockReason.values()).map(LockReason::smsKey).distinct().count());
        assertEquals(LockReason.values().length, java.util.Arrays.stream(LockReason.values()).map(LockReason::detail).distinct().count());
        assertEquals(TillitEvents.PHONE_CHANGED, LockReason.PHONE_CHANGED.detail());
        assertTrue(LockReason.EMAIL_CHANGED.isContactChange());
    }

    @Test
    void anAdminCredentialDeleteLocksForSecondFactorsOnly() {
        // Keycloak 26.7 reports the admin console's credential delete as ACTION with the type in the details.
        assertTrue(WithdrawalLockEventListener.removesSecondFactor(adminEvent(org.keycloak.events.admin.OperationType.ACTION, "tillit-sms-otp")));
        assertTrue(WithdrawalLockEventListener.removesSecondFactor(adminEvent(org.keycloak.events.admin.OperationType.DELETE, "otp")));
        assertTrue(WithdrawalLockEventListener.removesSecondFactor(adminEvent(org.keycloak.events.admin.OperationType.ACTION, null)),
                "no type reported: lock (the safe side)");
        assertTrue(!WithdrawalLockEventListener.removesSecondFactor(adminEvent(org.keycloak.events.admin.OperationType.ACTION, "password")));
        assertTrue(!WithdrawalLockEventListener.removesSecondFactor(adminEvent(org.keycloak.events.admin.OperationType.UPDATE, "otp")));
    }

    private static org.keycloak.events.admin.AdminEvent adminEvent(org.keycloak.events.admin.OperationType operation, String type) {
        org.keycloak.events.admin.AdminEvent event = new org.keycloak.events.admin.AdminEvent();
        event.setOperationType(operation);
        event.setResourcePath("users/u1/credentials/c1");
        if (type != null) {
            event.setDetails(Map.of("credential_type", type));
        }
        return event;
    }
}
