package dev.tillit.keycloak.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import dev.tillit.keycloak.lock.LockReason;
import org.junit.jupiter.api.Test;

/** The stored form of trusted and known devices, and which changes revoke trusted devices. */
class TrustedDevicesTest {

    @Test
    void storedEntriesReadBackAndGarbageIsSkipped() {
        TrustedDevices.Entry entry = TrustedDevices.Entry.parse("q1w2-e3_r4.1790000000");
        assertEquals("q1w2-e3_r4", entry.fingerprint());
        assertEquals(1_790_000_000L, entry.until());
        assertEquals("q1w2-e3_r4.1790000000", entry.value());
        assertNull(TrustedDevices.Entry.parse("no-dot"));
        assertNull(TrustedDevices.Entry.parse(".1790000000"));
        assertNull(TrustedDevices.Entry.parse("abc.soon"));
        assertNull(TrustedDevices.Entry.parse(null));
    }

    @Test
    void idsAreRandomAndOnlyTheirFingerprintIsKept() {
        String a = DeviceCookies.newId();
        String b = DeviceCookies.newId();
        assertEquals(43, a.length());
        assertNotEquals(a, b);
        String fingerprint = DeviceCookies.fingerprint(a);
        assertEquals(43, fingerprint.length());
        assertNotEquals(a, fingerprint);
        assertEquals(fingerprint, DeviceCookies.fingerprint(a));
        assertTrue(DeviceCookies.same(fingerprint, DeviceCookies.fingerprint(a)));
        assertFalse(DeviceCookies.same(fingerprint, DeviceCookies.fingerprint(b)));
        assertFalse(DeviceCookies.same(fingerprint, null));
    }

    @Test
    void passwordFactorAndDisownChangesRevokeTrustedDevicesContactChangesDoNot() {
        EnumSet<LockReason> revoking = EnumSet.of(LockReason.PASSWORD_RESET, LockReason.PASSWORD_CHANGED,
                LockReason.SECOND_FACTOR_REMOVED, LockReason.SUSPICIOUS_SIGN_IN);
        for (LockReason reason : LockReason.values()) {
            assertEquals(revoking.contains(reason), reason.revokesTrustedDevices(), reason.name());
        }
    }
}
