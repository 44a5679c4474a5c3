package dev.tillit.keycloak.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which changes remove every linked identity, and which are told even under a longer lock. */
class LockReasonTest {

    @Test
    void aResetAndAThisWasNotMeRemoveEveryLinkedIdentityNothingElseDoes() {
        Set<LockReason> removing = EnumSet.noneOf(LockReason.class);
        for (LockReason reason : LockReason.values()) {
            if (reason.removesLinkedIdentities()) {
                removing.add(reason);
            }
        }
        assertEquals(EnumSet.of(LockReason.PASSWORD_RESET, LockReason.SUSPICIOUS_SIGN_IN), removing);
    }

    @Test
    void aLinkedIdentityIsToldEvenUnderALongerLockLikeAContactChange() {
        Set<LockReason> told = EnumSet.noneOf(LockReason.class);
        for (LockReason reason : LockReason.values()) {
            if (reason.toldEvenWhenLocked()) {
                told.add(reason);
            }
        }
        assertEquals(EnumSet.of(LockReason.EMAIL_CHANGED, LockReason.PHONE_CHANGED, LockReason.IDENTITY_LINKED), told);
        assertEquals("identity_linked", LockReason.IDENTITY_LINKED.detail());
    }
}
