package dev.tillit.keycloak.it.broker;

import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.otherThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.AppleStandIn.Person;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import dev.tillit.keycloak.it.support.Browser;

/**
 * The app's native Sign in with Apple for an account with a second factor: two steps, like the app's password
 * grant. The first answers {@code mfa_required} with an {@code mfa_token} (and sends the SMS or email code); the
 * second, with the token and the code, gets the tokens. No token of any kind — an offline token least of all —
 * before the factor; a replayed, foreign or wrong-client token and a wrong code get nothing; passkey and
 * recovery-code accounts are sent to the browser.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AppSignInSecondFactorIT {

    private static final String PASSWORD = "Tillit-App2fa1!";
    private static AppleStandIn apple;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private IdentityProviderRepresentation asImported;
    private SmsSink sms;
    private TillitSettingsAdmin settings;
    private final List<String> users = new ArrayList<>();
    private String secondClient;

    @BeforeAll
    static void standIn() {
        apple = new AppleStandIn();
        TillitServerConfig.writeVaultEntry(AppleStandIn.VAULT_KEY, apple.operatorKeyPem());
    }

    @AfterAll
    static void stop() {
        apple.close();
    }

    @BeforeEach
    void setUp() {
        secondClient = "app-second-" + UUID.randomUUID().toString().substring(0, 8);
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(secondClient);
        client.setPublicClient(true);
        client.setEnabled(true);
        realm.admin().clients().create(client).close();
        asImported = AppleStandIn.pointAt(realm, Map.of("appAudiences", AppleStandIn.BUNDLE_ID, "appClients", "demo-app," + secondClient));
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
    }

    @AfterEach
    void tearDown() {
        AppleStandIn.restore(realm, asImported);
        settings.close();
        sms.close();
        realm.admin().clients().findByClientId(secondClient).forEach(c -> realm.admin().clients().get(c.getId()).remove());
        users.forEach(id -> realm.admin().users().get(id).remove());
        realm.admin().attackDetection().clearAllBruteForce();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** An account holding {@code types} (and an authenticator app when {@code totpSecret} is set), linked to a new Apple id. */
    private Person linkedAccount(String phone, String totpSecret, String... types) {
        String email = TestUsers.freshEmail("app2fa");
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, totpSecret, types);
        users.add(id);
        Person person = new Person("001" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".app", null, true, "Ada", "Berg");
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider("apple");
        link.setUserId(person.sub());
        link.setUserName(person.sub());
        realm.admin().users().get(id).addFederatedIdentity("apple", link).close();
        return person;
    }

    private String userOf(Person person) {
        return realm.admin().users().search(null, null, null, null, 0, 100).stream()
                .filter(u -> realm.admin().users().get(u.getId()).getFederatedIdentity().stream().anyMatch(l -> person.sub().equals(l.getUserId())))
                .findFirst().orElseThrow().getId();
    }

    /** The first step: a fresh Apple id_token for {@code person}, asking an offline token too. */
    private HttpResponse<String> signIn(Person person, String clientId) throws Exception {
        String raw = UUID.randomUUID().toString();
        String idToken = apple.idToken(person, AppleStandIn.BUNDLE_ID, sha256Hex(raw), Forge.NONE);
        return post(Map.of("client_id", clientId, "id_token", idToken, "nonce", raw, "scope", "openid offline_access"));
    }

    private HttpResponse<String> answer(String clientId, String mfaToken, String code) throws Exception {
        return post(Map.of("client_id", clientId, "mfa_token", mfaToken, "mfa_code", code));
    }

    private HttpResponse<String> post(Map<String, String> params) throws Exception {
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/tillit-app-sign-in/apple/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void noTokens(HttpResponse<String> response) throws Exception {
        JsonNode body = TestUsers.json(response);
        assertEquals(400, response.statusCode(), response.body());
        for (String field : List.of("access_token", "refresh_token", "id_token")) {
            assertFalse(body.has(field), field + " before the second factor: " + response.body());
        }
    }

    private int sessionsOf(String userId) {
        return realm.admin().users().get(userId).getUserSessions().size() + realm.admin().users().get(userId).getOfflineSessions(
                realm.admin().clients().findByClientId("demo-app").get(0).getId()).size();
    }

    // ---- journeys ------------------------------------------------------------------------------

    @Test
    void anAuthenticatorAppAccountAnswersTheCodeAndOnlyThenGetsTokensOfLevelTwo() throws Exception {
        String secret = "TillitAppTotp" + System.nanoTime();
        Person person = linkedAccount(null, secret);
        String userId = userOf(person);

        HttpResponse<String> first = signIn(person, "demo-app");
        noTokens(first);
        JsonNode required = TestUsers.json(first);
        assertEquals("mfa_required", required.get("error").asText(), first.body());
        assertEquals("otp", required.get("mfa_channel").asText());
        assertTrue(required.get("mfa_token").asText().length() >= 40, "an unguessable handle");
        EventRepresentation asked = events.await("app_second_factor_required");
        assertEquals("LOGIN_ERROR", asked.getType());
        assertEquals("mfa_required", asked.getError());
        assertEquals(userId, asked.getUserId());
        assertEquals(0, sessionsOf(userId), "no session, online or offline, before the second factor");

        String code = Totp.now(secret);
        HttpResponse<String> wrong = answer("demo-app", required.get("mfa_token").asText(), otherThan(code));
        noTokens(wrong);
        assertEquals("invalid_grant", TestUsers.json(wrong).get("error").asText());
        assertEquals("invalid_user_credentials", events.awaitType("LOGIN_ERROR", "credential_type", "otp").getError());

        HttpResponse<String> second = answer("demo-app", required.get("mfa_token").asText(), code);
        assertEquals(200, second.statusCode(), second.body());
        JsonNode tokens = TestUsers.json(second);
        JsonNode access = DemoWebClient.claims(tokens.get("access_token").asText());
        assertEquals(userId, access.get("sub").asText());
        assertEquals("2", access.get("acr").asText(), "a second factor: level 2");
        assertEquals(List.of("fed", "otp", "mfa"), amr(access));
        assertEquals("Offline", DemoWebClient.claims(tokens.get("refresh_token").asText()).get("typ").asText(), "offline only now");
        EventRepresentation login = events.awaitType("LOGIN", "credential_type", "otp");
        assertEquals(userId, login.getUserId());
        assertEquals("app_sign_in", TillitEventLog.detail(login, "tillit_event"));

        // The mfa_token is spent: played again (even with a good code) it opens nothing.
        HttpResponse<String> replay = answer("demo-app", required.get("mfa_token").asText(), code);
        noTokens(replay);
        assertEquals("invalid_grant", TestUsers.json(replay).get("error").asText());
        assertEquals("LOGIN_ERROR", events.await("app_mfa_token_refused").getType());
    }

    @Test
    void anSmsAccountGetsACodeAndTheTokenServesOnlyItsClientAndItsAccount() throws Exception {
        String phone = TestUsers.freshPhone();
        Person person = linkedAccount(phone, null, SMS);
        String userId = userOf(person);
        String otherSecret = "TillitAppOther" + System.nanoTime();
        Person other = linkedAccount(null, otherSecret);

        HttpResponse<String> first = signIn(person, "demo-app");
        noTokens(first);
        JsonNode required = TestUsers.json(first);
        assertEquals("sms", required.get("mfa_channel").asText(), first.body());
        assertTrue(required.get("code_sent").asBoolean());
        String handle = required.get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);
        assertEquals("mfa-sms", TillitEventLog.detail(events.await("code_sent"), "purpose"));

        // Another client listed for app sign-in cannot redeem demo-app's token, even with the right code.
        HttpResponse<String> otherClient = answer(secondClient, handle, code);
        noTokens(otherClient);
        assertEquals("invalid_grant", TestUsers.json(otherClient).get("error").asText());
        assertEquals("LOGIN_ERROR", events.await("app_mfa_token_refused").getType());

        // Another account's person, signed in with their own Apple id and holding their own good code, cannot use it.
        JsonNode theirs = TestUsers.json(signIn(other, "demo-app"));
        HttpResponse<String> foreign = answer("demo-app", handle, Totp.now(otherSecret));
        noTokens(foreign);
        HttpResponse<String> mixed = answer("demo-app", theirs.get("mfa_token").asText(), code);
        noTokens(mixed);
        assertEquals(0, sessionsOf(userId));

        // The rightful second step (its code still good after those misses).
        HttpResponse<String> second = answer("demo-app", handle, code);
        assertEquals(200, second.statusCode(), second.body());
        JsonNode access = DemoWebClient.claims(TestUsers.json(second).get("access_token").asText());
        assertEquals(userId, access.get("sub").asText());
        assertEquals("2", access.get("acr").asText());
        assertEquals(List.of("fed", "sms", "mfa"), amr(access));
        assertEquals("mfa-sms", TillitEventLog.detail(events.await("code_verified"), "purpose"));
        noTokens(answer("demo-app", handle, code));
    }

    /**
     * A passkey registered in Chromium (virtual authenticator) through Keycloak's required action, which leads to
     * recovery codes: the app cannot ask either. Then the passkey removed: recovery codes alone, still the browser.
     */
    @Test
    void passkeyAndRecoveryCodeAccountsAreSentToTheBrowser() throws Exception {
        WebDriver browser = Browser.get();
        VirtualAuthenticator authenticator = Passkeys.add(browser);
        try {
            String email = TestUsers.freshEmail("app-passkey");
            String userId = TestUsers.create(realm, email, null, PASSWORD);
            users.add(userId);
            UserRepresentation rep = realm.admin().users().get(userId).toRepresentation();
            rep.setRequiredActions(List.of(Passkeys.REGISTER_PASSKEY));
            realm.admin().users().get(userId).update(rep);
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
                Passkeys.register(browser, "My phone");
                Passkeys.saveRecoveryCodes(browser);
                Browser.waitFor(browser, By.id("signed-in"));
            }
            realm.admin().users().get(userId).logout();
            Person person = new Person("001" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".app", null, true, "Ada", "Berg");
            FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
            link.setIdentityProvider("apple");
            link.setUserId(person.sub());
            link.setUserName(person.sub());
            realm.admin().users().get(userId).addFederatedIdentity("apple", link).close();

            for (String held : List.of("passkey and recovery codes", "recovery codes alone")) {
                HttpResponse<String> first = signIn(person, "demo-app");
                noTokens(first);
                JsonNode body = TestUsers.json(first);
                assertEquals("interaction_required", body.get("error").asText(), held + ": " + first.body());
                assertFalse(body.has("mfa_token"), held);
                assertTrue(body.get("continue_in_browser").asText().contains("kc_idp_hint=apple"), body.toString());
                EventRepresentation event = events.await("app_second_factor_required");
                assertEquals("factor_only_in_browser", TillitEventLog.detail(event, "reason"), held);
                assertEquals(userId, event.getUserId());
                assertEquals(0, sessionsOf(userId), held);
                realm.admin().users().get(userId).credentials().stream().filter(c -> Passkeys.PASSKEY.equals(c.getType()))
                        .forEach(c -> realm.admin().users().get(userId).removeCredential(c.getId()));
            }
            assertEquals(List.of(Passkeys.RECOVERY_CODES), SecondFactorPages.credentialTypes(realm, userId).stream()
                    .filter(t -> !"password".equals(t)).toList());
        } finally {
            Passkeys.remove(browser, authenticator);
            Browser.get();
        }
    }

    @Test
    void anAccountWithoutASecondFactorGetsTokensOfLevelOne() throws Exception {
        Person person = linkedAccount(null, null);
        HttpResponse<String> answer = signIn(person, "demo-app");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode access = DemoWebClient.claims(TestUsers.json(answer).get("access_token").asText());
        assertEquals("1", access.get("acr").asText());
        assertEquals(List.of("fed"), amr(access));
    }

    @Test
    void anUnknownMfaTokenIsRefusedAndWrongCodesSpendIt() throws Exception {
        HttpResponse<String> unknown = answer("demo-app", "x".repeat(43), "123456");
        noTokens(unknown);
        assertEquals("invalid_grant", TestUsers.json(unknown).get("error").asText());
        events.await("app_mfa_token_refused");

        String secret = "TillitAppSpend" + System.nanoTime();
        Person person = linkedAccount(null, secret);
        String handle = TestUsers.json(signIn(person, "demo-app")).get("mfa_token").asText();
        String code = Totp.now(secret);
        String userId = userOf(person);
        for (int i = 0; i < 5; i++) {
            noTokens(answer("demo-app", handle, otherThan(code)));
            // Each wrong code is a failed sign-in; cleared so that the next one is compared, not refused by the lock.
            realm.admin().attackDetection().clearBruteForceForUser(userId);
        }
        HttpResponse<String> afterFive = answer("demo-app", handle, code);
        noTokens(afterFive);
        assertEquals("invalid_grant", TestUsers.json(afterFive).get("error").asText());
    }

    static List<String> amr(JsonNode claims) {
        List<String> values = new ArrayList<>();
        claims.path("amr").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String sha256Hex(String value) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
