package dev.tillit.keycloak.it.claims;

import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Tokens say how the user got in: {@code acr} through Keycloak's level of authentication (realm attribute
 * {@code acr.loa.map} {"1":1,"2":2}: 1 = one factor, 2 = with a second factor) and {@code amr} with RFC 8176
 * values, at each door; and a client asking {@code acr_values=2} on a one-factor SSO session gets the second
 * factor asked (step-up).
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SignInLevelIT extends SmsGatewayTest {

    static final String PASSWORD = "Level-Passw0rd!";

    private static Set<String> amr(JsonNode claims) {
        Set<String> values = new HashSet<>();
        claims.path("amr").forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void thePasswordGrantSaysOneFactorOrTwo() throws Exception {
        String plain = TestUsers.freshEmail("level-pwd");
        TestUsers.create(realm, plain, null, PASSWORD);
        HttpResponse<String> one = TestUsers.passwordGrant(realm, plain, PASSWORD);
        assertEquals(200, one.statusCode(), one.body());
        JsonNode oneFactor = DemoWebClient.claims(TestUsers.json(one).get("access_token").asText());
        assertEquals("1", oneFactor.get("acr").asText());
        assertEquals(Set.of("pwd"), amr(oneFactor));
        assertEquals(Set.of("pwd"), amr(DemoWebClient.claims(TestUsers.json(one).get("id_token").asText())), "the id token too");

        String withApp = TestUsers.freshEmail("level-otp");
        String secret = "TillitLevelTotp" + System.nanoTime();
        SecondFactorPages.createUser(realm, withApp, null, PASSWORD, secret);
        HttpResponse<String> two = token("grant_type=password&client_id=demo-app&scope=openid&username=" + enc(withApp)
                + "&password=" + enc(PASSWORD) + "&otp=" + Totp.now(secret));
        assertEquals(200, two.statusCode(), two.body());
        JsonNode twoFactors = DemoWebClient.claims(TestUsers.json(two).get("access_token").asText());
        assertEquals("2", twoFactors.get("acr").asText());
        assertEquals(Set.of("pwd", "otp", "mfa"), amr(twoFactors));

        String phone = TestUsers.freshPhone();
        String withSms = TestUsers.freshEmail("level-sms");
        SecondFactorPages.createUser(realm, withSms, phone, PASSWORD, null, SMS);
        String grant = "grant_type=password&client_id=demo-app&scope=openid&username=" + enc(withSms) + "&password=" + enc(PASSWORD);
        JsonNode required = TestUsers.json(token(grant));
        assertEquals("mfa_required", required.get("error").asText());
        HttpResponse<String> sms2 = token(grant + "&mfa_token=" + enc(required.get("mfa_token").asText()) + "&mfa_code=" + sms.awaitCode(phone, 1));
        assertEquals(200, sms2.statusCode(), sms2.body());
        JsonNode smsFactors = DemoWebClient.claims(TestUsers.json(sms2).get("access_token").asText());
        assertEquals("2", smsFactors.get("acr").asText());
        assertEquals(Set.of("pwd", "sms", "mfa"), amr(smsFactors));
    }

    @Test
    void aClientAskingLevelOneStillGetsTheSecondFactorAsked() throws Exception {
        String email = TestUsers.freshEmail("level-one");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null) + "&acr_values=1", email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            // The factor was asked and passed; Keycloak answers acr with the requested value the sign-in satisfied.
            assertEquals("1", access.get("acr").asText());
            assertEquals(Set.of("pwd", "sms", "mfa"), amr(access));
        }
        assertEquals(1, sms.codesTo(phone).size(), "the second factor was asked");
    }

    /**
     * A trusted device signs in with the password alone (acr 1); the exchange's withdrawal screen then asks
     * {@code acr_values=2} on that SSO session: the SMS code is asked (not the password), and the token says 2.
     */
    @Test
    void aStepUpOnAOneFactorSessionAsksTheSecondFactor() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("level-step");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            Browser.waitFor(browser, By.id("trust-device")).click();
            browser.findElement(By.id("tillit-trust-device-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals("2", DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("acr").asText());
        }
        Map<String, Object> trust = cookie("TILLIT_TRUSTED_DEVICE");
        assertNotNull(trust);

        browser = Browser.get();
        restore(trust);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            assertEquals("1", access.get("acr").asText(), "a trusted device: one factor");
            assertEquals(Set.of("pwd"), amr(access));
        }
        assertEquals(1, sms.codesTo(phone).size());

        // Step-up on the SSO session: the code, not the password.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null) + "&acr_values=2");
            String code = sms.awaitCode(phone, 2);
            assertTrue(SecondFactorPages.onCodePage(browser), "the second factor is asked");
            assertTrue(browser.findElements(By.id("password")).isEmpty(), "not the password");
            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("tillit-trust-device-continue")).click(); // the offer again, declined
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            assertEquals("2", access.get("acr").asText());
            assertEquals(id, access.get("sub").asText());
            assertTrue(amr(access).containsAll(List.of("pwd", "sms", "mfa")), access.toString());
        }
        EventRepresentation login = events.awaitType("LOGIN", null, null);
        assertEquals(id, login.getUserId());

        assertEquals(2, sms.codesTo(phone).size(), "one code for the step-up");
    }

    /**
     * The withdrawal screen's request, {@code acr_values=2} with {@code max_age}: within the age the level-2
     * session is not asked again; once the last sign-in is older than {@code max_age}, the whole sign-in is
     * asked again (password, then the second factor), and the token's {@code auth_time} is the new one.
     */
    @Test
    void aWithdrawalWithMaxAgeAsksTheWholeSignInAgainOnceItIsOlder() throws Exception {
        String email = TestUsers.freshEmail("level-max-age");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        long firstAuth;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            assertEquals("2", access.get("acr").asText());
            firstAuth = access.get("auth_time").asLong();
        }

        // Within max_age: the level-2 session answers at once, nothing asked.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null) + "&acr_values=2&max_age=300");
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            assertEquals("2", access.get("acr").asText());
            assertEquals(firstAuth, access.get("auth_time").asLong());
        }
        assertEquals(1, sms.codesTo(phone).size());

        // Older than max_age (1 s, once the clock has passed it): the password again, then a new code.
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() / 1000 < firstAuth + 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // until the session is certainly older than one second, by the clock
        }
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null) + "&acr_values=2&max_age=1");
            WebElement password = Browser.waitFor(browser, By.id("password"));
            password.sendKeys(PASSWORD);
            WebElement login = browser.findElement(By.id("kc-login"));
            login.click();
            Browser.pastBotCheck(browser, login);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 2));
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            assertEquals("2", access.get("acr").asText());
            assertEquals(id, access.get("sub").asText());
            assertTrue(access.get("auth_time").asLong() > firstAuth, "a fresh sign-in: " + access);
            assertTrue(amr(access).containsAll(List.of("pwd", "sms", "mfa")), access.toString());
        }
        assertEquals(2, sms.codesTo(phone).size(), "one new code for the withdrawal");
    }

    private HttpResponse<String> token(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cookie(String name) {
        Map<String, Object> all = ((ChromeDriver) browser).executeCdpCommand("Network.getAllCookies", Map.of());
        for (Map<String, Object> c : (List<Map<String, Object>>) all.get("cookies")) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        return null;
    }

    private void restore(Map<String, Object> cookie) {
        ((ChromeDriver) browser).executeCdpCommand("Network.setCookie", Map.of(
                "name", cookie.get("name"), "value", cookie.get("value"), "domain", cookie.get("domain"),
                "path", cookie.get("path"), "httpOnly", cookie.get("httpOnly"), "expires", cookie.get("expires")));
    }
}
