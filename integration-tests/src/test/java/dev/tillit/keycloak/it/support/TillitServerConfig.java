package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.keycloak.common.Profile;
import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

/**
 * The one server configuration of the whole suite: every test class names this class, so the
 * framework boots Keycloak once (distribution mode, PostgreSQL) and shares it.
 */
public class TillitServerConfig implements KeycloakServerConfig {

    /** The vault entry the tests' SMS gateway secret is read from, and its value. */
    public static final String VAULT_SMS_KEY = "sms-token";
    public static final String VAULT_SMS_SECRET = "sink-token-7f3a";
    private static final Path VAULT = Path.of(System.getProperty("java.io.tmpdir"), "tillit-it-vault");

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        writeVault();
        return config
                .dependency("dev.tillit", "tillit-keycloak", true)
                // The admin console's "Tillit" settings page (Keycloak's admin-UI extension SPI).
                .features(Profile.Feature.DECLARATIVE_UI)
                // Secrets come from Keycloak's file vault: <realm>_<key> files in this folder.
                .option("vault", "file")
                .option("vault-dir", VAULT.toString())
                // As behind a reverse proxy: X-Forwarded-For is honoured from loopback only, so the
                // tests can play clients at distinct addresses (per-address limits, IPv6 /64).
                .option("proxy-headers", "xforwarded")
                .option("proxy-trusted-addresses", "127.0.0.1,::1")
                .option("log-level", "INFO,dev.tillit:DEBUG");
    }

    private static void writeVault() {
        try {
            Files.createDirectories(VAULT);
            Files.writeString(VAULT.resolve("tillit_" + VAULT_SMS_KEY), VAULT_SMS_SECRET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
