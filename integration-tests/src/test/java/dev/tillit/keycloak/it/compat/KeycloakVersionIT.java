package dev.tillit.keycloak.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;

import dev.tillit.keycloak.it.support.Artifacts;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

/**
 * The suite ran on the Keycloak it was asked for ({@code -Dkeycloak.dist.version}), not on a stale
 * unpacked server. The version is left in target/artifacts/keycloak-version.txt for the README's
 * compatibility table.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KeycloakVersionIT {

    @InjectAdminClient
    Keycloak admin;

    @Test
    void serverIsTheRequestedDistribution() throws IOException {
        String running = admin.serverInfo().getInfo().getSystemInfo().getVersion();
        Files.writeString(Artifacts.dir(".").resolve("keycloak-version.txt"), running + System.lineSeparator());
        assertNotNull(TillitServerConfig.DIST_VERSION, "keycloak.dist.version is not set for the test JVM");
        assertEquals(TillitServerConfig.DIST_VERSION, running);
    }
}
