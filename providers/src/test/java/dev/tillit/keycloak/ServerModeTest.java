package dev.tillit.keycloak;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Development mode is exactly Keycloak's {@code dev} profile; anything else is production. */
class ServerModeTest {

    @Test
    void startDevIsDevelopment() {
        assertTrue(ServerMode.isDevelopment("dev", null));
        assertTrue(ServerMode.isDevelopment(" DEV ", null));
        assertTrue(ServerMode.isDevelopment(null, "dev"));
    }

    @Test
    void everythingElseIsProduction() {
        assertFalse(ServerMode.isDevelopment(null, null));
        assertFalse(ServerMode.isDevelopment("prod", null));
        assertFalse(ServerMode.isDevelopment("", "dev"), "the system property wins over the environment");
        assertFalse(ServerMode.isDevelopment("development", null));
        assertFalse(ServerMode.isDevelopment("nonserver", null));
    }

    @Test
    void theUnitTestJvmIsNotInDevelopmentMode() {
        // Surefire sets no kc.profile: the safe side.
        assertFalse(ServerMode.isDevelopment());
    }
}
