package dev.tillit.keycloak.it.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.phone.PhoneLookupIndex;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * Benchmark, not a test: prints how long finding a user by phone number takes with 100,000 users
 * (or {@code -Dtillit.bench.users=1000000}) in PostgreSQL, next to finding one by username, both
 * through the same running Keycloak; the admin search by phone once more without Tillit's index on
 * {@code lower(value)} (dropped and re-created around it); the database's plans; and sign-in timings
 * for an unknown number vs a wrong password. Run with {@code ./bench.sh}.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PhoneLookupBenchmark {

    private static final int USERS = Integer.getInteger("tillit.bench.users", 100_000);
    private static final int LOOKUPS = Integer.getInteger("tillit.bench.lookups", 400);
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    private final HttpClient http = HttpClient.newHttpClient();

    static String phone(int i) {
        return String.format(Locale.ROOT, "+4673%07d", i);
    }

    static String username(int i) {
        return String.format(Locale.ROOT, "bench-%07d", i);
    }

    @Test
    void phoneLookupAgainstUsernameLookup() throws Exception {
        long seedStart = System.nanoTime();
        seed(admin.realm("tillit").toRepresentation().getId());
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        Random random = new Random(42);
        int[] picks = random.ints(0, USERS).distinct().limit(LOOKUPS * 2L).toArray();
        int[] forUsername = Arrays.copyOfRange(picks, 0, LOOKUPS);
        int[] forPhone = Arrays.copyOfRange(picks, LOOKUPS, picks.length);

        // Warm both paths (JIT, connection pool) on users not measured afterwards.
        time(50, i -> "/admin/realms/tillit/users?exact=true&username=" + username(USERS - 1 - i), 1);
        time(50, i -> "/admin/realms/tillit/users?exact=true&q=" + enc("phone_number:" + phone(USERS - 1 - i)), 1);

        double[] byUsername = time(LOOKUPS, i -> "/admin/realms/tillit/users?exact=true&username=" + username(forUsername[i]), 1);
        double[] byPhone = time(LOOKUPS, i -> "/admin/realms/tillit/users?exact=true&q=" + enc("phone_number:" + phone(forPhone[i])), 1);

        System.out.printf(Locale.ROOT, "%n=== Tillit benchmark: find a user by phone vs by username ===%n");
        System.out.printf(Locale.ROOT, "users in realm: %,d (PostgreSQL), seeded in %.1f s by SQL%n", USERS, seedSeconds);
        System.out.println(row("by username (admin REST, exact)", byUsername));
        System.out.println(row("by phone_number (admin REST, exact)", byPhone));
        System.out.printf(Locale.ROOT, "phone/username mean ratio: %.2f%n", mean(byPhone) / mean(byUsername));
        System.out.println("PostgreSQL plan of the sign-in's phone lookup (EXPLAIN ANALYZE):");
        explain("a.value = ?").forEach(line -> System.out.println("  " + line));
        System.out.println("PostgreSQL plan of the admin search's phone lookup (EXPLAIN ANALYZE):");
        explain("lower(a.value) = lower(?)").forEach(line -> System.out.println("  " + line));

        // The same admin search without the index the JAR adds: what stock Keycloak does. Slow by
        // design (it reads every user), so only a few lookups.
        int unindexed = Integer.getInteger("tillit.bench.unindexed.lookups", 5);
        sql("DROP INDEX " + INDEX);
        double[] byPhoneUnindexed;
        try {
            byPhoneUnindexed = time(unindexed, i -> "/admin/realms/tillit/users?exact=true&q=" + enc("phone_number:" + phone(forPhone[i])), 1);
        } finally {
            sql("CREATE INDEX " + INDEX + " ON user_attribute (name, lower(value))");
        }
        System.out.println(row("by phone_number, without Tillit's index", byPhoneUnindexed));
        System.out.printf(Locale.ROOT, "unindexed/indexed phone mean ratio: %.0f%n", mean(byPhoneUnindexed) / mean(byPhone));

        // The sign-in path itself: a direct grant naming a seeded account (which has no password, so
        // the grant fails right after the lookup) by username vs by phone number in national spelling.
        int[] grantPicks = random.ints(0, USERS).distinct().limit(2L * LOOKUPS).toArray();
        double[] grantByUsername = timeGrants(LOOKUPS, i -> username(grantPicks[i]));
        double[] grantByPhone = timeGrants(LOOKUPS, i -> "073-" + phone(grantPicks[LOOKUPS + i]).substring(5));
        System.out.println(row("sign-in lookup (direct grant) by username", grantByUsername));
        System.out.println(row("sign-in lookup (direct grant) by phone", grantByPhone));
        System.out.printf(Locale.ROOT, "phone/username mean ratio: %.2f%n", mean(grantByPhone) / mean(grantByUsername));

        double[] unknownNumber = timeGrant(30, "070-999 99 99", "Tillit-Demo1!");
        double[] wrongPassword = timeGrant(30, "070-123 45 67", "Wrong-Passw0rd!");
        admin.realm("tillit").attackDetection().clearAllBruteForce();
        System.out.println(row("direct grant, unknown number", unknownNumber));
        System.out.println(row("direct grant, known number + wrong password", wrongPassword));
        System.out.println("=== end of benchmark ===");
    }

    /**
     * Seeds the users straight into Keycloak's tables: the admin API's partial import managed about
     * 95 users/s on a 2-core machine (17 min for 100,000), and how users got there does not change how
     * Keycloak finds them. Every lookup measured afterwards goes through Keycloak's REST API.
     */
    private void seed(String realmId) throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
             PreparedStatement users = db.prepareStatement(
                     "INSERT INTO user_entity (id, email_verified, enabled, realm_id, username, created_timestamp, not_before) "
                             + "SELECT md5('bench' || i)::uuid::text, false, true, ?, 'bench-' || lpad(i::text, 7, '0'), "
                             + "(extract(epoch FROM now()) * 1000)::bigint, 0 FROM generate_series(0, ? - 1) i");
             PreparedStatement attributes = db.prepareStatement(
                     "INSERT INTO user_attribute (name, value, user_id, id) "
                             + "SELECT 'phone_number', '+4673' || lpad(i::text, 7, '0'), md5('bench' || i)::uuid::text, "
                             + "md5('bench-phone' || i)::uuid::text FROM generate_series(0, ? - 1) i "
                             + "UNION ALL SELECT 'phone_number_verified', 'true', md5('bench' || i)::uuid::text, "
                             + "md5('bench-verified' || i)::uuid::text FROM generate_series(0, ? - 1) i");
             java.sql.Statement analyze = db.createStatement()) {
            users.setString(1, realmId);
            users.setInt(2, USERS);
            users.executeUpdate();
            attributes.setInt(1, USERS);
            attributes.setInt(2, USERS);
            attributes.executeUpdate();
            analyze.execute("ANALYZE user_entity");
            analyze.execute("ANALYZE user_attribute");
        }
    }

    private double[] time(int n, IntFunction<String> path, int expected) throws Exception {
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(path.apply(i));
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200 || JSON.readTree(response.body()).size() != expected) {
                throw new IllegalStateException("lookup " + path.apply(i) + " answered " + response.body());
            }
        }
        return millis;
    }

    private double[] timeGrants(int n, IntFunction<String> username) throws Exception {
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            millis[i] = timeGrant(1, username.apply(i), "No-Passw0rd!")[0];
        }
        return millis;
    }

    private double[] timeGrant(int n, String username, String password) throws Exception {
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            admin.realm("tillit").attackDetection().clearAllBruteForce();
            String form = "grant_type=password&client_id=demo-app&username=" + enc(username) + "&password=" + enc(password);
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 400) {
                throw new IllegalStateException("expected a refusal, got " + response.statusCode());
            }
        }
        return millis;
    }

    private static final String INDEX = PhoneLookupIndex.INDEX_NAME;

    private void sql(String statement) throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
             java.sql.Statement sql = db.createStatement()) {
            sql.execute(statement);
        }
    }

    private List<String> explain(String condition) throws Exception {
        String url = System.getProperty("kc.test.database.url");
        List<String> plan = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement statement = db.prepareStatement(
                     "EXPLAIN ANALYZE SELECT u.id FROM user_entity u JOIN user_attribute a ON a.user_id = u.id "
                             + "WHERE u.realm_id = ? AND a.name = 'phone_number' AND " + condition)) {
            statement.setString(1, admin.realm("tillit").toRepresentation().getId());
            statement.setString(2, phone(USERS / 2));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
        }
        return plan;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return realm.getBaseUrl().replaceAll("/realms/.*$", "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static String row(String label, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%-46s n=%-4d mean %6.2f ms  p50 %6.2f ms  p95 %6.2f ms  max %7.2f ms",
                label, millis.length, mean(millis), sorted[sorted.length / 2],
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1], sorted[sorted.length - 1]);
    }
}
