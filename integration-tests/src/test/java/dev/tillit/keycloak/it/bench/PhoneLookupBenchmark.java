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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tillit.keycloak.it.support.TillitRealm;
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
 * in PostgreSQL, next to finding one by username, both through the same running Keycloak; plus the
 * database's plan for the phone lookup, and sign-in timings for an unknown number vs a wrong password.
 * Run with {@code ./bench.sh}.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PhoneLookupBenchmark {

    private static final int USERS = Integer.getInteger("tillit.bench.users", 100_000);
    private static final int LOOKUPS = Integer.getInteger("tillit.bench.lookups", 400);
    private static final int CHUNK = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    private final HttpClient http = HttpClient.newHttpClient();

    static String phone(int i) {
        return String.format(Locale.ROOT, "+46739%06d", i);
    }

    static String username(int i) {
        return String.format(Locale.ROOT, "bench-%06d", i);
    }

    @Test
    void phoneLookupAgainstUsernameLookup() throws Exception {
        long seedStart = System.nanoTime();
        for (int from = 0; from < USERS; from += CHUNK) {
            ObjectNode body = JSON.createObjectNode().put("ifResourceExists", "SKIP");
            ArrayNode users = body.putArray("users");
            for (int i = from; i < Math.min(USERS, from + CHUNK); i++) {
                ObjectNode user = users.addObject().put("username", username(i)).put("enabled", true);
                ObjectNode attributes = user.putObject("attributes");
                attributes.putArray("phone_number").add(phone(i));
                attributes.putArray("phone_number_verified").add("true");
            }
            HttpResponse<String> response = post("/admin/realms/tillit/partialImport", body.toString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("seeding failed: " + response.statusCode() + " " + response.body());
            }
        }
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        Random random = new Random(42);
        int[] picks = random.ints(LOOKUPS * 2L, 0, USERS).distinct().limit(LOOKUPS * 2L).toArray();
        int[] forUsername = Arrays.copyOfRange(picks, 0, LOOKUPS);
        int[] forPhone = Arrays.copyOfRange(picks, LOOKUPS, picks.length);

        // Warm both paths (JIT, connection pool) on users not measured afterwards.
        time(50, i -> "/admin/realms/tillit/users?exact=true&username=" + username(USERS - 1 - i), 1);
        time(50, i -> "/admin/realms/tillit/users?exact=true&q=" + enc("phone_number:" + phone(USERS - 1 - i)), 1);

        double[] byUsername = time(LOOKUPS, i -> "/admin/realms/tillit/users?exact=true&username=" + username(forUsername[i]), 1);
        double[] byPhone = time(LOOKUPS, i -> "/admin/realms/tillit/users?exact=true&q=" + enc("phone_number:" + phone(forPhone[i])), 1);

        System.out.printf(Locale.ROOT, "%n=== Tillit benchmark: find a user by phone vs by username ===%n");
        System.out.printf(Locale.ROOT, "users in realm: %,d (PostgreSQL), seeded in %.1f s through the admin API%n", USERS, seedSeconds);
        System.out.println(row("by username (admin REST, exact)", byUsername));
        System.out.println(row("by phone_number (admin REST, exact)", byPhone));
        System.out.printf(Locale.ROOT, "phone/username mean ratio: %.2f%n", mean(byPhone) / mean(byUsername));
        System.out.println("PostgreSQL plan of the phone lookup (EXPLAIN ANALYZE):");
        explain().forEach(line -> System.out.println("  " + line));

        double[] unknownNumber = timeGrant(30, "070-999 99 99", "Tillit-Demo1!");
        double[] wrongPassword = timeGrant(30, "070-123 45 67", "Wrong-Passw0rd!");
        admin.realm("tillit").attackDetection().clearAllBruteForce();
        System.out.println(row("direct grant, unknown number", unknownNumber));
        System.out.println(row("direct grant, known number + wrong password", wrongPassword));
        System.out.println("=== end of benchmark ===");
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

    private List<String> explain() throws Exception {
        String url = System.getProperty("kc.test.database.url");
        List<String> plan = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement statement = db.prepareStatement(
                     "EXPLAIN ANALYZE SELECT u.id FROM user_entity u JOIN user_attribute a ON a.user_id = u.id "
                             + "WHERE u.realm_id = ? AND a.name = 'phone_number' AND a.value = ?")) {
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

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
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
