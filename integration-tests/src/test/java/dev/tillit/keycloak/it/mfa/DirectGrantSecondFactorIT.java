package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.EMAIL;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.otherThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.Totp;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The mobile app's two-step password grant for SMS and email second factors: the first call
 * sends a code and answers {@code mfa_required} with an {@code mfa_token}; the second carries the
 * token, the code and the password again. Honest paths, and an attacker's: someone else's token,
 * another client's, a replay, wrong codes, parallel calls, expiry.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class DirectGrantSecondFactorIT {

    static final String PASSWORD = "Grant-Passw0rd!";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private SmsSink sms;
    private TillitSettingsAdmin settings;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
    }

    @AfterEach
    void tearDown() {
        settings.close();
        sms.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }

    @Test
    void smsFactorTakesTwoCallsAndTheSecondGetsTokens() throws Exception {
        String email = TestUsers.freshEmail("dg-sms");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);

        HttpResponse<String> first = grant("demo-app", email, PASSWORD, null, null);
        assertEquals(400, first.statusCode(), first.body());
        JsonNode answer = JSON.readTree(first.body());
        assertEquals("mfa_required", answer.get("error").asText(), first.body());
        assertEquals("sms", answer.get("mfa_channel").asText());
        assertEquals("+46 ••• ••• " + phone.substring(phone.length() - 2), answer.get("mfa_sent_to").asText().replace('\u00a0', ' '));
        assertTrue(answer.get("mfa_token").asText().length() >= 40, "an unguessable handle");
        assertFalse(answer.has("access_token"));
        assertTrue(answer.get("expires_in").asInt() > 200, first.body());
        String code = sms.awaitCode(phone, 1);
        EventRepresentation required = events.await("direct_grant_second_factor_required");
        assertEquals("LOGIN_ERROR", required.getType());
        assertEquals(id, required.getUserId());
        assertEquals("mfa-sms", TillitEventLog.detail(events.await("code_sent"), "purpose"));

        HttpResponse<String> second = grant("demo-app", email, PASSWORD, answer.get("mfa_token").asText(), code);
        assertEquals(200, second.statusCode(), second.body());
        assertTrue(JSON.readTree(second.body()).has("access_token"));
        assertEquals("mfa-sms", TillitEventLog.detail(events.await("code_verified"), "purpose"));
        assertEquals(1, sms.to(phone).size());
    }

    @Test
    void emailFactorTakesTwoCallsToo() throws Exception {
        String email = TestUsers.freshEmail("dg-email");
        SecondFactorPages.createUser(realm, email, null, PASSWORD, null, EMAIL);
        JsonNode answer = JSON.readTree(grant("demo-app", email, PASSWORD, null, null).body());
        assertEquals("mfa_required", answer.get("error").asText());
        assertEquals("email", answer.get("mfa_channel").asText());
        String code = SecondFactorPages.awaitMailCode(mail, 1);
        HttpResponse<String> second = grant("demo-app", email, PASSWORD, answer.get("mfa_token").asText(), code);
        assertEquals(200, second.statusCode(), second.body());
    }

    @Test
    void askingAgainGivesTheSameHandleAndWithinTheLifetimeTheSameCode() throws Exception {
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        JsonNode first = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body());
        sms.awaitCode(phone, 1);

        // Within the cooldown: the same handle, and nothing sent.
        JsonNode again = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body());
        assertEquals(first.get("mfa_token").asText(), again.get("mfa_token").asText());
        assertFalse(again.get("code_sent").asBoolean());
        assertTrue(again.get("resend_in").asInt() > 0);
        assertEquals(1, sms.to(phone).size());

        // After the cooldown: the same code once more, under the same handle.
        settings.set("resendCooldownSeconds", "0");
        JsonNode resent = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body());
        assertTrue(resent.get("code_sent").asBoolean());
        assertEquals(first.get("mfa_token").asText(), resent.get("mfa_token").asText());
        assertEquals(sms.awaitCode(phone, 1), sms.awaitCode(phone, 2));
        assertEquals(200, grant("demo-app", login, PASSWORD, first.get("mfa_token").asText(), sms.awaitCode(phone, 2)).statusCode());
    }

    @Test
    void theSecondCallChecksThePasswordAgain() throws Exception {
        String email = TestUsers.freshEmail("dg-password");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        String token = JSON.readTree(grant("demo-app", email, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);

        HttpResponse<String> wrongPassword = grant("demo-app", email, "Wrong-Passw0rd!", token, code);
        assertEquals(400, wrongPassword.statusCode(), wrongPassword.body());
        assertEquals("Invalid user credentials", JSON.readTree(wrongPassword.body()).get("error_description").asText());
        Thread.sleep(1100); // past Keycloak's quick-login check
        assertEquals(200, grant("demo-app", email, PASSWORD, token, code).statusCode(), "the handle was not spent");
    }

    @Test
    void anotherUsersHandleIsRefusedAndStaysTheirs() throws Exception {
        String victimPhone = TestUsers.freshPhone();
        String victim = TestUsers.national(victimPhone);
        SecondFactorPages.createUser(realm, null, victimPhone, PASSWORD, null, SMS);
        String attackerPhone = TestUsers.freshPhone();
        String attacker = SecondFactorPages.createUser(realm, null, attackerPhone, PASSWORD, null, SMS);

        String victimToken = JSON.readTree(grant("demo-app", victim, PASSWORD, null, null).body()).get("mfa_token").asText();
        String victimCode = sms.awaitCode(victimPhone, 1);
        // The attacker has their own password, the victim's handle and even the victim's code.
        HttpResponse<String> stolen = grant("demo-app", TestUsers.national(attackerPhone), PASSWORD, victimToken, victimCode);
        assertEquals(400, stolen.statusCode(), stolen.body());
        assertEquals("invalid_grant", JSON.readTree(stolen.body()).get("error").asText());
        assertFalse(JSON.readTree(stolen.body()).has("access_token"));
        EventRepresentation refused = events.await("direct_grant_mfa_token_refused");
        assertEquals(attacker, refused.getUserId());
        assertEquals("invalid_code", refused.getError());
        assertTrue(events.all("code_verified").isEmpty(), "no code was verified");

        assertEquals(200, grant("demo-app", victim, PASSWORD, victimToken, victimCode).statusCode());
    }

    @Test
    void aHandleFromAnotherClientIsRefused() throws Exception {
        String otherClient = "dg-other-" + ThreadLocalRandom.current().nextInt(1_000_000);
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(otherClient);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setProtocol("openid-connect");
        try (Response response = realm.admin().clients().create(client)) {
            assertEquals(201, response.getStatus());
            String location = response.getLocation().getPath();
            String uuid = location.substring(location.lastIndexOf('/') + 1);
            realm.cleanup().add(r -> r.clients().get(uuid).remove());
        }
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);

        HttpResponse<String> elsewhere = grant(otherClient, login, PASSWORD, token, code);
        assertEquals(400, elsewhere.statusCode(), elsewhere.body());
        assertTrue(JSON.readTree(elsewhere.body()).get("error_description").asText().contains("mfa_token is not valid"));
        assertEquals(200, grant("demo-app", login, PASSWORD, token, code).statusCode());
    }

    @Test
    void aUsedHandleCannotBeReplayed() throws Exception {
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);
        assertEquals(200, grant("demo-app", login, PASSWORD, token, code).statusCode());

        HttpResponse<String> replay = grant("demo-app", login, PASSWORD, token, code);
        assertEquals(400, replay.statusCode(), replay.body());
        assertEquals("invalid_grant", JSON.readTree(replay.body()).get("error").asText());
        assertFalse(JSON.readTree(replay.body()).has("access_token"));
    }

    @Test
    void wrongCodesCountForBruteForceAndUseUpTheCode() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);
        int before = SecondFactorPages.failures(realm, id);

        HttpResponse<String> wrong = grant("demo-app", login, PASSWORD, token, otherThan(code));
        assertEquals(400, wrong.statusCode());
        assertEquals("The code is not correct.", JSON.readTree(wrong.body()).get("error_description").asText());
        assertEquals(before + 1, SecondFactorPages.failures(realm, id), "a wrong code is a failed sign-in");
        SecondFactorPages.await(events, "code_failed", "mfa-sms");

        // Lift the lockout between guesses so the code's own attempt limit is what stops them.
        for (int i = 0; i < 4; i++) {
            realm.admin().attackDetection().clearBruteForceForUser(id);
            grant("demo-app", login, PASSWORD, token, otherThan(code));
        }
        realm.admin().attackDetection().clearBruteForceForUser(id);
        HttpResponse<String> dead = grant("demo-app", login, PASSWORD, token, code);
        assertEquals(400, dead.statusCode(), dead.body());
        assertFalse(JSON.readTree(dead.body()).has("access_token"), "five wrong codes kill the code");
        SecondFactorPages.await(events, "code_too_many_attempts", "mfa-sms");
    }

    @Test
    void whileLockedOutEvenTheRightCodeIsRefused() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);
        // Two failures lock the account for this test: Keycloak's quick-login check (two failures
        // within a second) depends on how fast a busy machine answers, the failure count does not.
        Integer failureFactor = realm.admin().toRepresentation().getFailureFactor();
        RealmRepresentation strict = new RealmRepresentation();
        strict.setFailureFactor(2);
        realm.admin().update(strict);
        try {
            grant("demo-app", login, PASSWORD, token, otherThan(code));
            grant("demo-app", login, PASSWORD, token, otherThan(code));
            HttpResponse<String> locked = grant("demo-app", login, PASSWORD, token, code);
            // Refused by the lockout, before the code is looked at: the answer does not tell a locked
            // account from a wrong password, the event does, and the code stays unverified.
            assertEquals(400, locked.statusCode(), locked.body());
            assertEquals("Invalid user credentials", JSON.readTree(locked.body()).get("error_description").asText(), locked.body());
            EventRepresentation refused = events.awaitType("LOGIN_ERROR", null, null);
            while (!"user_temporarily_disabled".equals(refused.getError())) {
                refused = events.awaitType("LOGIN_ERROR", null, null);
            }
            assertEquals(id, refused.getUserId());
            assertEquals(List.of(), events.all("code_verified"));
        } finally {
            RealmRepresentation back = new RealmRepresentation();
            back.setFailureFactor(failureFactor);
            realm.admin().update(back);
        }
    }

    @Test
    void parallelSecondCallsAreAcceptedOnce() throws Exception {
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> grant("demo-app", login, PASSWORD, token, code).statusCode());
            }
            int accepted = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                accepted += result.get() == 200 ? 1 : 0;
            }
            assertEquals(1, accepted, "one code, one set of tokens");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredCodeIsRefusedAndTheNextFirstCallSendsANewOne() throws Exception {
        int lifetime = 2;
        settings.set("codeLifetimeSeconds", Integer.toString(lifetime));
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, null, SMS);
        String login = TestUsers.national(phone);
        String token = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body()).get("mfa_token").asText();
        String code = sms.awaitCode(phone, 1);
        ServerClock.outliveCode(System.currentTimeMillis(), lifetime);

        HttpResponse<String> late = grant("demo-app", login, PASSWORD, token, code);
        assertEquals(400, late.statusCode(), late.body());
        assertEquals("The code has expired: ask for a new code.", JSON.readTree(late.body()).get("error_description").asText(),
                late.body());

        settings.set("codeLifetimeSeconds", "300").set("resendCooldownSeconds", "0");
        JsonNode fresh = JSON.readTree(grant("demo-app", login, PASSWORD, null, null).body());
        assertNotEquals(token, fresh.get("mfa_token").asText());
        String next = sms.awaitCode(phone, 2);
        assertEquals(200, grant("demo-app", login, PASSWORD, fresh.get("mfa_token").asText(), next).statusCode());
    }

    @Test
    void anAuthenticatorAppAccountKeepsUsingOtpAndGetsNoSms() throws Exception {
        String phone = TestUsers.freshPhone();
        String secret = "TillitGrantTotp" + System.nanoTime();
        SecondFactorPages.createUser(realm, null, phone, PASSWORD, secret, SMS);
        String login = TestUsers.national(phone);

        HttpResponse<String> withoutOtp = grant("demo-app", login, PASSWORD, null, null);
        assertEquals("invalid_grant", JSON.readTree(withoutOtp.body()).get("error").asText(), withoutOtp.body());
        Thread.sleep(1100);
        HttpResponse<String> withOtp = post("grant_type=password&client_id=demo-app&scope=openid&username=" + enc(login)
                + "&password=" + enc(PASSWORD) + "&otp=" + Totp.now(secret));
        assertEquals(200, withOtp.statusCode(), withOtp.body());
        assertEquals(0, sms.to(phone).size(), "no SMS for an authenticator-app account");
    }

    private HttpResponse<String> grant(String clientId, String username, String password, String mfaToken, String code)
            throws Exception {
        String form = "grant_type=password&client_id=" + enc(clientId) + "&scope=openid&username=" + enc(username)
                + "&password=" + enc(password);
        if (mfaToken != null) {
            form += "&mfa_token=" + enc(mfaToken) + "&mfa_code=" + enc(code);
        }
        return post(form);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
