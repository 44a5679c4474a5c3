package dev.tillit.keycloak.it.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Sign-in with email or phone: browser form and direct grant, without telling who has an account. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class IdentifierLoginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_PASSWORD = "Tillit-Demo1!";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @org.keycloak.testframework.mail.annotations.InjectMailServer
    org.keycloak.testframework.mail.MailServer mail;

    @AfterEach
    void clearBruteForce() {
        realm.admin().attackDetection().clearAllBruteForce();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+46701234567", "+46 70-123 45 67", "0046701234567", "070-123 45 67", "demo@tillit.example", "demo"})
    void directGrantTakesEveryIdentifier(String identifier) throws Exception {
        HttpResponse<String> response = passwordGrant(identifier, DEMO_PASSWORD);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode access = DemoWebClient.claims(JSON.readTree(response.body()).get("access_token").asText());
        assertEquals("demo", access.get("preferred_username").asText());
    }

    @Test
    void directGrantGivesTheSameAnswerForUnknownNumberAndWrongPassword() throws Exception {
        HttpResponse<String> unknown = passwordGrant("070-999 99 99", DEMO_PASSWORD);
        HttpResponse<String> wrong = passwordGrant("070-123 45 67", "Wrong-Passw0rd!");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals(unknown.statusCode(), wrong.statusCode());
        assertEquals(JSON.readTree(unknown.body()), JSON.readTree(wrong.body()));
    }

    @Test
    void browserShowsTheSameMessageForUnknownNumberAndWrongPassword() {
        String unknown = browserLoginError("070-999 99 99", DEMO_PASSWORD);
        String wrong = browserLoginError("070-123 45 67", "Wrong-Passw0rd!");
        assertEquals("Invalid email, phone number or password.", unknown);
        assertEquals(unknown, wrong);
        // The page re-shows what was typed, never the username the number belongs to.
        assertEquals("070-123 45 67", Browser.get().findElement(By.id("username")).getDomProperty("value"));
    }

    @Test
    void bruteForceCountsFailuresMadeWithAPhoneNumber() throws Exception {
        // An account of this test's own: no other test's failures, no dependence on test order.
        String phone = TestUsers.freshPhone();
        String userId = TestUsers.create(realm, null, phone, DEMO_PASSWORD);
        String national = TestUsers.national(phone);

        passwordGrant(national, "Wrong-Passw0rd!1");
        Map<String, Object> status = failuresReach(userId, 1);
        assertEquals(1, ((Number) status.get("numFailures")).intValue(), status.toString());
        assertEquals(Boolean.FALSE, status.get("disabled"), status.toString());

        // Keycloak's quick-login check (two failures within a second) would lock first on a fast machine
        // and stop the count; off for this test, so every spelling below must count, whatever the timing.
        RealmRepresentation before = realm.admin().toRepresentation();
        RealmRepresentation counting = new RealmRepresentation();
        counting.setQuickLoginCheckMilliSeconds(0L);
        realm.admin().update(counting);
        try {
            // Up to the realm's failure factor (5), in other spellings of the number: each one is a
            // failure of the same account, and the fifth locks it out.
            int failures = 1;
            for (String spelling : List.of(phone, "+46 " + national.substring(1), "0046" + phone.substring(3), national)) {
                passwordGrant(spelling, "Wrong-Passw0rd!2");
                failures++;
                status = failuresReach(userId, failures);
                assertEquals(failures, ((Number) status.get("numFailures")).intValue(), spelling + ": " + status);
            }
            assertEquals(before.getFailureFactor(), failures, "the loop reaches the realm's failure factor");
            assertEquals(Boolean.TRUE, status.get("disabled"), status.toString());
            // Locked out: even the right password is refused until the wait is over (or an admin clears it).
            assertEquals(400, passwordGrant(phone, DEMO_PASSWORD).statusCode());
        } finally {
            RealmRepresentation back = new RealmRepresentation();
            back.setQuickLoginCheckMilliSeconds(before.getQuickLoginCheckMilliSeconds());
            realm.admin().update(back);
            realm.admin().attackDetection().clearBruteForceForUser(userId);
        }
    }

    /**
     * The account's brute-force status once it counts {@code failures} (or after 10 s, for the caller's
     * assertion to show): Keycloak records a failure after the answer has gone out.
     */
    private Map<String, Object> failuresReach(String userId, int failures) throws InterruptedException {
        Map<String, Object> status = realm.admin().attackDetection().bruteForceUserStatus(userId);
        for (long end = System.nanoTime() + 10_000_000_000L;
             ((Number) status.get("numFailures")).intValue() < failures && System.nanoTime() < end; ) {
            Thread.sleep(100);
            status = realm.admin().attackDetection().bruteForceUserStatus(userId);
        }
        return status;
    }

    @Test
    void directGrantIsNoWayAroundAnSmsOrEmailSecondFactor() throws Exception {
        // The first call sends a code: SMS to a local gateway, mail to a local SMTP server.
        try (dev.tillit.keycloak.it.support.SmsSink sms = new dev.tillit.keycloak.it.support.SmsSink();
             dev.tillit.keycloak.it.support.TillitSettingsAdmin settings =
                     new dev.tillit.keycloak.it.support.TillitSettingsAdmin(realm.admin()).httpGateway(sms)) {
            directGrantAsksForTheCode();
        }
    }

    private void directGrantAsksForTheCode() throws Exception {
        String smsOnly = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, smsOnly, DEMO_PASSWORD, null, SecondFactorPages.SMS);
        String emailOnly = TestUsers.freshEmail("grant");
        SecondFactorPages.createUser(realm, emailOnly, null, DEMO_PASSWORD, null, SecondFactorPages.EMAIL);
        String none = TestUsers.freshEmail("grant-none");
        SecondFactorPages.createUser(realm, none, null, DEMO_PASSWORD, null);

        for (String identifier : List.of(TestUsers.national(smsOnly), emailOnly)) {
            // The password alone gets no tokens: a code is sent, and a second call must carry it
            // (the two-step exchange itself: DirectGrantSecondFactorIT).
            HttpResponse<String> refused = passwordGrant(identifier, DEMO_PASSWORD);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("mfa_required", JSON.readTree(refused.body()).get("error").asText(), refused.body());
            assertTrue(JSON.readTree(refused.body()).has("mfa_token"), refused.body());
            assertTrue(!JSON.readTree(refused.body()).has("access_token"), refused.body());
        }
        // A wrong password still gets the usual answer: the gate speaks only after the password is right.
        HttpResponse<String> wrong = passwordGrant(TestUsers.national(smsOnly), "Wrong-Passw0rd!");
        assertEquals(JSON.readTree(passwordGrant("070-999 99 99", DEMO_PASSWORD).body()), JSON.readTree(wrong.body()));
        assertEquals(200, passwordGrant(none, DEMO_PASSWORD).statusCode());
    }

    private String browserLoginError(String identifier, String password) {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.id("username")).sendKeys(identifier);
            browser.findElement(By.id("password")).sendKeys(password);
            browser.findElement(By.id("kc-login")).click();
            return Browser.textOf(browser, By.id("input-error-username")).trim();
        }
    }

    private HttpResponse<String> passwordGrant(String username, String password) throws Exception {
        String form = "grant_type=password&client_id=demo-app&scope=openid"
                + "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
