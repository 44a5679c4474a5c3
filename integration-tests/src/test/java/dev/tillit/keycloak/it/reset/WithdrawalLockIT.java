package dev.tillit.keycloak.it.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The withdrawal lock as the exchange sees it: a token claim present exactly while the lock holds. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class WithdrawalLockIT {

    private static final String PASSWORD = "Lock-Passw0rd!";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @Test
    void claimFollowsTheAttributeAndDisappearsWhenExpiredOrLifted() throws Exception {
        String email = TestUsers.freshEmail("lock");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        assertFalse(claims(email).has("withdrawal_locked_until"), "no lock, no claim");

        long future = Instant.now().getEpochSecond() + 3600;
        setLock(id, String.valueOf(future));
        assertEquals(future, claims(email).get("withdrawal_locked_until").asLong());
        assertEquals(future, userinfo(email).get("withdrawal_locked_until").asLong());

        setLock(id, String.valueOf(Instant.now().getEpochSecond() - 10));
        assertFalse(claims(email).has("withdrawal_locked_until"), "an expired lock is no lock");

        setLock(id, String.valueOf(future));
        setLock(id, null); // the admin lifts it
        assertFalse(claims(email).has("withdrawal_locked_until"), "a lifted lock is no lock");
    }

    @Test
    void adminPasswordResetLocksToo() throws Exception {
        String email = TestUsers.freshEmail("adminreset");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue("Other-Passw0rd!");
        credential.setTemporary(false);
        realm.admin().users().get(id).resetPassword(credential);

        long lockedUntil = awaitLock(id);
        assertTrue(Math.abs(lockedUntil - (Instant.now().getEpochSecond() + 24 * 3600)) < 300, "locked until " + lockedUntil);
        assertEquals(lockedUntil, claims(email, "Other-Passw0rd!").get("withdrawal_locked_until").asLong());
    }

    @Test
    void changingTheEmailThroughTheAccountApiLocks() throws Exception {
        String email = TestUsers.freshEmail("change");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        String token = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("access_token").asText();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode me = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/account/")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        ((ObjectNode) me).put("email", TestUsers.freshEmail("changed"));
        HttpResponse<String> update = http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/account/"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(me.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, update.statusCode(), update.body());

        assertTrue(awaitLock(id) > Instant.now().getEpochSecond() + 23 * 3600);
    }

    @Test
    void removingTheAuthenticatorAppLocks() throws Exception {
        String email = TestUsers.freshEmail("otp-removal");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, null, PASSWORD, secret);
        String credentialId = realm.admin().users().get(id).credentials().stream()
                .filter(c -> "otp".equals(c.getType())).findFirst().orElseThrow().getId();

        // What the account console does: the application-initiated action delete_credential.
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null) + "&kc_action=delete_credential:" + credentialId);
            Browser.waitFor(browser, By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("kc-accept")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(realm.admin().users().get(id).credentials().stream().noneMatch(c -> "otp".equals(c.getType())));
        assertTrue(awaitLock(id) > Instant.now().getEpochSecond() + 23 * 3600);
    }

    private long awaitLock(String id) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            List<String> value = realm.admin().users().get(id).toRepresentation().getAttributes().get("withdrawal_locked_until");
            if (value != null) {
                return Long.parseLong(value.get(0));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no withdrawal lock was set");
    }

    private void setLock(String id, String value) {
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        if (user.getAttributes() == null) {
            user.setAttributes(new java.util.HashMap<>());
        }
        if (value == null) {
            user.getAttributes().remove("withdrawal_locked_until");
        } else {
            user.getAttributes().put("withdrawal_locked_until", List.of(value));
        }
        realm.admin().users().get(id).update(user);
    }

    private JsonNode claims(String email) throws Exception {
        return claims(email, PASSWORD);
    }

    private JsonNode claims(String email, String password) throws Exception {
        HttpResponse<String> response = TestUsers.passwordGrant(realm, email, password);
        assertEquals(200, response.statusCode(), response.body());
        return DemoWebClient.claims(TestUsers.json(response).get("access_token").asText());
    }

    private JsonNode userinfo(String email) throws Exception {
        String token = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("access_token").asText();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return TestUsers.json(response);
    }
}
