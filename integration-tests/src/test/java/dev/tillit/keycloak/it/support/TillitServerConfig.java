package dev.tillit.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.keycloak.common.Profile;
import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;
import org.keycloak.testframework.util.TmpDir;

/**
 * The one server configuration of the whole suite: every test class names this class, so the
 * framework boots Keycloak once (distribution mode, PostgreSQL) and shares it.
 */
public class TillitServerConfig implements KeycloakServerConfig {

    /** The vault entry the tests' SMS gateway secret is read from, and its value. */
    public static final String VAULT_SMS_KEY = "sms-token";
    public static final String VAULT_SMS_SECRET = "sink-token-7f3a";
    /** The vault entry the tests' bot-check (siteverify) secret is read from, and its value. */
    public static final String VAULT_BOT_CHECK_KEY = "bot-check-secret";
    public static final String VAULT_BOT_CHECK_SECRET = "0x4AAAA-siteverify-secret-test";

    /** The demo realm's Telegram bot token (vault entry {@code telegram-bot-token}): the tests sign widget payloads with it. */
    public static final String VAULT_TELEGRAM_KEY = "telegram-bot-token";
    public static final String TELEGRAM_BOT_TOKEN = "7000000001:AAF-tillit-test-bot-token-0123456789ab";
    /** The tillit realm's KYC encryption key ({@code ${vault.kyc-key}}): 32 bytes, base64. Tests decrypt stored rows with it. */
    public static final String VAULT_KYC_KEY = "kyc-key";
    public static final String KYC_KEY_BASE64 = "q8Jm3rXbq0y0pVw0Jm2ZbW9hq3v0b3k2c2VjcmV0ITE=";
    private static final Path VAULT = Path.of(System.getProperty("java.io.tmpdir"), "tillit-it-vault");

    /**
     * The Keycloak distribution the suite runs on: the POM's {@code keycloak.dist.version} (default
     * {@code keycloak.version}), handed to the test JVM by Failsafe. {@code KeycloakVersionIT} checks that
     * the running server is this version.
     */
    public static final String DIST_VERSION = System.getProperty("keycloak.dist.version");

    /** Where the framework unpacks the distribution (always under /tmp, whatever java.io.tmpdir says). */
    private static final Path INSTALL_DIR = TmpDir.resolveTmpDir().toPath().resolve("kc-test-framework").resolve("keycloak");

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        dropOtherDistribution();
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
                // ::1 as a CIDR range: written as a bare "::1", Quarkus looked it up in DNS on every
                // request (a 5 s wait and a leaked socket each where no name server answers).
                .option("proxy-trusted-addresses", "127.0.0.1,::1/128")
                // One picture check at a time on this node (default: one per core), so that KycIT can see
                // the limit answer 503 with two uploads.
                .option("spi-realm-restapi-extension--tillit-kyc--picture-checks", "1")
                .option("log-level", "INFO,dev.tillit:DEBUG");
    }

    /**
     * The framework re-uses the unpacked server while the zip's timestamp is unchanged; it does not look
     * at the version. The zip unpacks to {@code keycloak-<version>/}, so an installation of another
     * version is removed here (called before the framework looks) and the requested one unpacked afresh,
     * even should two zips share a timestamp. An installation whose server may still run is left to the
     * framework.
     */
    private static void dropOtherDistribution() {
        if (DIST_VERSION == null || DIST_VERSION.isBlank()) {
            return;
        }
        File[] homes = INSTALL_DIR.toFile().listFiles(File::isDirectory);
        if (homes == null || homes.length != 1 || homes[0].getName().equals("keycloak-" + DIST_VERSION)) {
            return;
        }
        if (mayStillRun(homes[0].toPath().resolve("pid"))) {
            return;
        }
        System.out.println("Tillit: removing " + homes[0] + " (this run wants Keycloak " + DIST_VERSION + ")");
        try (Stream<Path> files = Files.walk(INSTALL_DIR)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean mayStillRun(Path pidFile) {
        try {
            return Files.isRegularFile(pidFile)
                    && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true;
        }
    }

    /** Puts {@code value} into the server's file vault as {@code ${vault.<key>}} of the tillit realm (read on each use). */
    public static void writeVaultEntry(String key, String value) {
        try {
            Files.createDirectories(VAULT);
            Files.writeString(VAULT.resolve("tillit_" + key), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeVault() {
        try {
            Files.createDirectories(VAULT);
            Files.writeString(VAULT.resolve("tillit_" + VAULT_SMS_KEY), VAULT_SMS_SECRET);
            Files.writeString(VAULT.resolve("tillit_" + VAULT_BOT_CHECK_KEY), VAULT_BOT_CHECK_SECRET);

            Files.writeString(VAULT.resolve("tillit_" + VAULT_TELEGRAM_KEY), TELEGRAM_BOT_TOKEN);
            Files.writeString(VAULT.resolve("tillit_" + VAULT_KYC_KEY), KYC_KEY_BASE64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
