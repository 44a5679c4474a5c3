package dev.tillit.keycloak.it.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The password grant's stand-in for a bot check (issue 18, case 5): a budget of failed password checks
 * per client address across all accounts. Each request comes from an address of its own through the
 * suite's trusted proxy ({@code X-Forwarded-For} from loopback, see {@code TillitServerConfig}).
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PasswordGrantBudgetIT {

    private static final String PASSWORD = "Sup3r-Secret!";
    private static final String WRONG = "Wr0ng-Secret!";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitSettingsAdmin settings;
    private TillitEventLog events;

    @BeforeEach
    void setUp() {
        settings = new TillitSettingsAdmin(realm.admin()).set("passwordGrantFailuresPerIpPerHour", "3");
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void tearDown() {
        settings.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }

    @Test
    void afterTheBudgetNoPasswordIsCheckedFromThatAddressTheRightOneIncluded() throws Exception {
        String first = TestUsers.freshEmail("budget-a");
        String second = TestUsers.freshEmail("budget-b");
        String firstId = TestUsers.create(realm, first, null, PASSWORD);
        String secondId = TestUsers.create(realm, second, null, PASSWORD);
        String attacker = Browser.freshIpv4();
        String neighbour = Browser.freshIpv4();

        // Right passwords cost nothing of the budget.
        for (int i = 0; i < 4; i++) {
            assertEquals(200, grant(attacker, first, PASSWORD).statusCode());
        }
        // Three failed checks across accounts, an unknown identifier among them.
        assertEquals(400, grant(attacker, first, WRONG).statusCode());
        assertEquals(400, grant(attacker, second, WRONG).statusCode());
        assertEquals(400, grant(attacker, TestUsers.freshEmail("nobody"), WRONG).statusCode());

        // Spent: refused at once, the right password too, and nothing counted against the accounts.
        for (String password : List.of(PASSWORD, WRONG)) {
            HttpResponse<String> refused = grant(attacker, first, password);
            assertEquals(429, refused.statusCode(), refused.body());
            JsonNode body = TestUsers.json(refused);
            assertEquals("invalid_grant", body.path("error").asText());
            assertEquals("Too many attempts from this address: try again later.", body.path("error_description").asText());
        }
        EventRepresentation exhausted = events.await("password_attempts_exhausted");
        assertEquals("LOGIN_ERROR", exhausted.getType());
        assertEquals("password_attempts_exhausted", exhausted.getError());
        assertEquals(attacker, exhausted.getIpAddress());
        assertNull(exhausted.getUserId(), "no account looked up");
        assertEquals(1, failures(firstId), "only the one failure judged before the budget ran out");
        assertEquals(1, failures(secondId));
        assertEquals(List.of("invalid_user_credentials"), loginErrors(firstId));

        // Another address is not affected.
        assertEquals(200, grant(neighbour, first, PASSWORD).statusCode());
        assertEquals(200, grant(neighbour, second, PASSWORD).statusCode());
    }

    @Test
    void anIpv6SubscriberIsCountedPerSlash64() throws Exception {
        String network = freshIpv6Network();
        // Three addresses of one /64, one failure each (three accounts: no account's own lockout in play).
        for (int host = 1; host <= 3; host++) {
            String email = TestUsers.freshEmail("budget-v6-" + host);
            TestUsers.create(realm, email, null, PASSWORD);
            assertEquals(400, grant(network + "::" + host, email, WRONG).statusCode());
        }
        String email = TestUsers.freshEmail("budget-v6");
        TestUsers.create(realm, email, null, PASSWORD);
        assertEquals(429, grant(network + "::beef", email, PASSWORD).statusCode());
        events.await("password_attempts_exhausted");
        assertEquals(200, grant(freshIpv6Network() + "::1", email, PASSWORD).statusCode(), "another /64 is another subscriber");
    }

    /**
     * A fresh /64 under fec0::/10 (site-local: the realm requires HTTPS for external addresses and the
     * suite speaks HTTP, as {@link Browser#freshIpv4()} explains).
     */
    private static String freshIpv6Network() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return String.format("fec0:%x:%x:%x", r.nextInt(65536), r.nextInt(65536), r.nextInt(65536));
    }

    private HttpResponse<String> grant(String from, String username, String password) throws Exception {
        String form = "grant_type=password&client_id=demo-app&scope=openid&username=" + enc(username) + "&password=" + enc(password);
        return HTTP.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", from)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int failures(String userId) {
        return ((Number) realm.admin().attackDetection().bruteForceUserStatus(userId).get("numFailures")).intValue();
    }

    private List<String> loginErrors(String userId) {
        return realm.admin().getEvents(List.of("LOGIN_ERROR"), null, userId, null, null, null, 0, 100, "asc")
                .stream().map(EventRepresentation::getError).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
