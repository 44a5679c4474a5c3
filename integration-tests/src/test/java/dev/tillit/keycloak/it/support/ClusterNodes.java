package dev.tillit.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

/**
 * Two production-mode Keycloak nodes with the Tillit JAR, one PostgreSQL database, one Infinispan
 * cluster: started and stopped by the repository's {@code cluster.sh} (the very script a person runs),
 * on ports 8180 and 8280 (management 9180, 9280), so they never meet the suite's server on 8080/9000.
 * The database is the suite's database name plus {@code _cluster}, created fresh and dropped afterwards.
 */
public final class ClusterNodes implements AutoCloseable {

    public static final String A = "http://localhost:8180";
    public static final String B = "http://localhost:8280";
    public static final String REALM_PATH = "/realms/tillit";
    private static final String STORE_PASSWORD = "sink-store";

    private final Path repo;
    private final Path dir;
    private final String db;
    private final SSLContext sinkTls;
    private final List<Keycloak> admins = new ArrayList<>();

    private ClusterNodes(Path repo, Path dir, String db, SSLContext sinkTls) {
        this.repo = repo;
        this.dir = dir;
        this.db = db;
        this.sinkTls = sinkTls;
    }

    /** Writes the vault entries, makes the SMS sink's certificate, and runs {@code cluster.sh start}. */
    public static ClusterNodes start() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path dir = Path.of(System.getProperty("user.dir"), "target", "cluster-it").toAbsolutePath();
        Files.createDirectories(dir.resolve("vault"));
        String suiteDb = System.getProperty("kc.test.database.url", "jdbc:postgresql://127.0.0.1:5432/tillit_it");
        String db = suiteDb.substring(suiteDb.lastIndexOf('/') + 1) + "_cluster";
        Files.writeString(dir.resolve("vault").resolve("tillit_" + TillitServerConfig.VAULT_SMS_KEY), TillitServerConfig.VAULT_SMS_SECRET);
        Files.writeString(dir.resolve("vault").resolve("tillit_" + TillitServerConfig.VAULT_TELEGRAM_KEY), TillitServerConfig.TELEGRAM_BOT_TOKEN);
        Files.writeString(dir.resolve("vault").resolve("tillit_" + TillitServerConfig.VAULT_BOT_CHECK_KEY), TillitServerConfig.VAULT_BOT_CHECK_SECRET);
        Files.writeString(dir.resolve("vault").resolve("tillit_" + TillitServerConfig.VAULT_KYC_KEY), TillitServerConfig.KYC_KEY_BASE64);

        // The SMS sink's own certificate for 127.0.0.1, which the nodes are told to trust.
        Path store = dir.resolve("sms-sink.p12");
        Path pem = dir.resolve("sms-sink.pem");
        Files.deleteIfExists(store);
        run(dir, Map.of(), keytool(), "-genkeypair", "-alias", "sink", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD);
        run(dir, Map.of(), keytool(), "-exportcert", "-rfc", "-alias", "sink", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        File[] jars = repo.resolve("providers/target").toFile()
                .listFiles((d, n) -> n.startsWith("tillit-keycloak-") && n.endsWith(".jar"));
        if (jars == null || jars.length != 1) {
            throw new IllegalStateException("expected one providers/target/tillit-keycloak-*.jar (run in the verify phase)");
        }
        ClusterNodes nodes = new ClusterNodes(repo, dir, db, tls);
        run(repo, Map.of("TILLIT_CLUSTER_DIR", dir.toString(), "TILLIT_CLUSTER_DB", db, "TILLIT_CLUSTER_FRESH", "1",
                "TILLIT_JAR", jars[0].getAbsolutePath(), "TILLIT_CLUSTER_TRUSTSTORE", pem.toString(),
                "TILLIT_SMTP_PORT", "3125"), repo.resolve("cluster.sh").toString(), "start");
        return nodes;
    }

    /** The TLS context the SMS sink serves with (its certificate is the one the nodes trust). */
    public SSLContext sinkTls() {
        return sinkTls;
    }

    /** An admin client of the master realm's admin on the node at {@code base}. */
    public Keycloak admin(String base) {
        Keycloak admin = KeycloakBuilder.builder().serverUrl(base).realm("master").clientId("admin-cli")
                .username("admin").password("admin").build();
        admins.add(admin);
        return admin;
    }

    /** Stops one node ({@code "a"} or {@code "b"}) gracefully, as an operator's rolling restart would. */
    public void stop(String node) throws Exception {
        run(repo, Map.of("TILLIT_CLUSTER_DIR", dir.toString()), repo.resolve("cluster.sh").toString(), "stop", node);
    }

    /** The node's log so far. */
    public String log(String node) throws IOException {
        return Files.readString(dir.resolve("node-" + node + ".log"));
    }

    @Override
    public void close() throws Exception {
        admins.forEach(Keycloak::close);
        run(repo, Map.of("TILLIT_CLUSTER_DIR", dir.toString()), repo.resolve("cluster.sh").toString(), "stop");
        run(repo, Map.of(), "dropdb", "--if-exists", "-h", System.getenv().getOrDefault("PGHOST", "127.0.0.1"),
                "-U", System.getenv().getOrDefault("PGUSER", "postgres"), db);
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(Path cwd, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).inheritIO();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroy();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 15 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }
}
