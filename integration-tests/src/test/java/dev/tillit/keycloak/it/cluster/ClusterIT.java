package dev.tillit.keycloak.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.it.support.ClusterNodes;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.IdImages;
import dev.tillit.keycloak.it.support.KycReviewApi;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TelegramWidget;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Two production-mode nodes (./cluster.sh: one PostgreSQL database, one Infinispan cluster) and one
 * user who moves between them: a cookie-carrying HTTP client starts a step on node A and sends the next
 * form to node B (the form's address with B's port; cookies are per host, so B gets the same session).
 * Whatever one node counted, locked or accepted, the other must know. Runs last in the suite
 * ({@code ClusterLast}), when the suite's own server is idle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String PASSWORD = "Cluster-Passw0rd!";
    private static final String NEW_PASSWORD = "Moved-Passw0rd?";
    private static final String WRONG = "That code is not correct. Check it and try again.";
    private static final String TOO_MANY = "Too many wrong attempts. Send a new code.";
    private static final String LIMITED = "Too many codes have been requested. Please try again later.";
    private static final Pattern WAIT = Pattern.compile("Please wait \\d+ seconds before asking for a new code\\.");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClusterNodes nodes;
    private static SmsSink sms;
    private static RealmResource realmA;
    private static RealmResource realmB;

    private TillitSettingsAdmin settings;
    /** Set by the test that stops node A (the last one): the settings it changed die with the cluster. */
    private static boolean nodeAStopped;

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = ClusterNodes.start();
        sms = new SmsSink(nodes.sinkTls());
        Keycloak adminA = nodes.admin(ClusterNodes.A);
        Keycloak adminB = nodes.admin(ClusterNodes.B);
        realmA = adminA.realm("tillit");
        realmB = adminB.realm("tillit");
        assertTrue(nodes.log("b").contains("ISPN000094: Received new cluster view"), "node b joined a cluster");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (sms != null) {
            sms.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    /** Settings saved on node A only: node B must see them too (the realm cache is invalidated cluster-wide). */
    @BeforeEach
    void gateway() {
        settings = new TillitSettingsAdmin(realmA).httpGateway(sms).set("sendsPerIpPerHour", "1000")
                .set("knownDevicesPerUser", "0");
    }

    @AfterEach
    void restore() {
        if (!nodeAStopped) {
            settings.close();
        }
    }

    // ---- codes

    @Test
    @Order(1)
    void aCodeSentViaNodeAIsVerifiedOnNodeBAndTheResetFinishesThereWithTheLockOnBoth() throws Exception {
        String phone = freshPhone();
        String id = createUser(phone);
        liftLock(id);
        assertFalse(claims(ClusterNodes.A, phone, PASSWORD).has("withdrawal_locked_until"), "no lock before the reset (A)");
        assertFalse(claims(ClusterNodes.B, phone, PASSWORD).has("withdrawal_locked_until"), "no lock before the reset (B)");

        HttpLoginFlow flow = resetOnA(phone);
        String code = sms.awaitCode(phone, 1);
        flow.load(onB(flow, "tillit-code-form", Map.of("code", code)));
        assertTrue(flow.page().contains("id=\"tillit-new-password-form\""), flow.page());
        flow.load(onB(flow, "tillit-new-password-form", Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD)));
        assertFalse(flow.page().contains("tillit-new-password-form"), "the new password was taken: " + flow.page());

        // The new password works on both nodes, the old one on neither; the lock is in both tokens and both admin APIs.
        long now = Instant.now().getEpochSecond();
        for (String node : List.of(ClusterNodes.A, ClusterNodes.B)) {
            HttpResponse<String> old = grant(node, phone, PASSWORD);
            assertEquals(400, old.statusCode(), "old password refused on " + node + ": " + old.body());
            assertTrue(old.body().contains("\"invalid_grant\""), old.body());
            long claim = claims(node, phone, NEW_PASSWORD).path("withdrawal_locked_until").asLong();
            assertTrue(Math.abs(claim - (now + 24 * 3600)) < 300, node + ": lock claim " + claim + " is about 24 h from now");
        }
        assertEquals(lockOf(realmA, id), lockOf(realmB, id), "both admin APIs show the same lock");
        assertTrue(lockOf(realmA, id) > now + 23 * 3600, "lock set by the reset");
    }

    @Test
    @Order(2)
    void attemptsCountedOnNodeAStillCountOnNodeB() throws Exception {
        String phone = freshPhone();
        createUser(phone);
        HttpLoginFlow flow = resetOnA(phone);
        String code = sms.awaitCode(phone, 1);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int attempt = 1; attempt <= 4; attempt++) {
            flow.submitForm("tillit-code-form", Map.of("code", wrong)); // on A
            assertTrue(flow.page().contains(WRONG), "attempt " + attempt + " on A: " + flow.page());
        }
        // The fifth wrong attempt, on B, is the last one the code allows: B knows about A's four.
        flow.load(onB(flow, "tillit-code-form", Map.of("code", wrong)));
        assertTrue(flow.page().contains(TOO_MANY), "fifth attempt on B: " + flow.page());
        // And the right code is dead on both nodes.
        flow.load(onB(flow, "tillit-code-form", Map.of("code", code)));
        assertTrue(flow.page().contains(TOO_MANY), "right code after five wrong ones on B: " + flow.page());
        flow.load(onA(flow, "tillit-code-form", Map.of("code", code)));
        assertTrue(flow.page().contains(TOO_MANY), "right code after five wrong ones on A: " + flow.page());
    }

    @Test
    @Order(3)
    void theResendCooldownStartedOnNodeAHoldsOnNodeB() throws Exception {
        String phone = freshPhone();
        createUser(phone);
        HttpLoginFlow flow = resetOnA(phone);
        sms.awaitCode(phone, 1);
        flow.load(onB(flow, "tillit-resend-form", Map.of("resend", "true")));
        assertTrue(WAIT.matcher(flow.page()).find(), "resend on B during A's cooldown: " + flow.page());
        ServerClock.letBackgroundDeliveriesArrive(); // the reset sends after answering, in no set order
        assertEquals(1, sms.to(phone).size(), "no second SMS");
    }

    @Test
    @Order(4)
    void sendLimitsPerNumberAddUpAcrossNodes() throws Exception {
        settings.set("resendCooldownSeconds", "0").set("sendsPerIdentifierPerHour", "2");
        String phone = freshPhone();
        createUser(phone);
        HttpLoginFlow flow = resetOnA(phone); // send 1, on A
        sms.awaitCode(phone, 1);
        flow.load(onB(flow, "tillit-resend-form", Map.of("resend", "true"))); // send 2, on B
        sms.await(phone, 2);
        flow.load(onA(flow, "tillit-resend-form", Map.of("resend", "true"))); // a third, on A: over the limit
        assertTrue(flow.page().contains(LIMITED), "third send on A: " + flow.page());
        // A new reset for the same number on B, in a session of its own, is refused as well.
        HttpLoginFlow other = new HttpLoginFlow().get(authUrl(ClusterNodes.B)).follow("reset-credentials")
                .submit("tillit-reset-form", "identifier", national(phone));
        assertTrue(other.page().contains(LIMITED), "new reset on B: " + other.page());
        ServerClock.letBackgroundDeliveriesArrive(); // the reset sends after answering, in no set order
        assertEquals(2, sms.to(phone).size(), "two SMS in all");
    }

    // ---- one-time payloads

    @Test
    @Order(5)
    void aProofOfWorkSolutionAcceptedOnNodeAIsRefusedOnNodeB() throws Exception {
        HttpLoginFlow bot = new HttpLoginFlow().solvingBotChecks(false).get(authUrl(ClusterNodes.A)).follow("reset-credentials");
        HttpLoginFlow.BotChallenge first = bot.botChallenge();
        String answer = first.solve();
        bot.answerBotCheck(first.token(), answer);
        assertTrue(bot.page().contains("id=\"tillit-reset-form\""), "accepted on A: " + bot.page());

        // The same browser tab starts over on node B and hands in the answer A already took.
        Matcher tab = Pattern.compile("tab_id=([^&]+)").matcher(bot.formAction("tillit-reset-form"));
        assertTrue(tab.find());
        bot.get(ClusterNodes.B + ClusterNodes.REALM_PATH + "/login-actions/restart?client_id=" + DemoWebClient.CLIENT_ID
                + "&tab_id=" + tab.group(1)).follow("reset-credentials");
        assertTrue(bot.onBotCheck() && bot.formAction(HttpLoginFlow.BOT_CHECK_FORM).startsWith(ClusterNodes.B), bot.page());
        bot.answerBotCheck(first.token(), answer);
        assertTrue(bot.onBotCheck() && bot.page().contains("The security check did not pass. Please try again."),
                "replayed on B: " + bot.page());
    }

    @Test
    @Order(6)
    void aTelegramPayloadAcceptedOnNodeAIsRefusedOnNodeB() throws Exception {
        Map<String, String> payload = TelegramWidget.signed(TillitServerConfig.TELEGRAM_BOT_TOKEN,
                TelegramWidget.freshUserId(), "Once", TelegramWidget.now());
        HttpLoginFlow first = new HttpLoginFlow();
        first.get(TelegramWidget.callback(widgetUrl(first, ClusterNodes.A), payload));
        assertTrue(first.page().contains("tillit-first-login-signup"), "accepted on A: " + first.page());

        HttpLoginFlow thief = new HttpLoginFlow();
        String url = widgetUrl(thief, ClusterNodes.B);
        assertTrue(url.startsWith(ClusterNodes.B), url);
        thief.get(TelegramWidget.callback(url, payload));
        assertTrue(thief.page().contains("This sign-in with Telegram has already been used"), "replayed on B: " + thief.page());
        assertFalse(thief.page().contains("tillit-first-login"), "no first-sign-in page on B");
    }

    // ---- identity verification

    @Test
    @Order(60)
    void aVerificationStartedOnNodeAContinuesOnNodeBAndItsDecisionOnAIsSeenOnB() throws Exception {
        String phone = freshPhone();
        String id = createUser(phone);
        UserRepresentation rep = realmA.users().get(id).toRepresentation();
        rep.setRequiredActions(List.of("tillit-kyc"));
        realmA.users().get(id).update(rep);
        try (DemoWebClient client = new DemoWebClient(ClusterNodes.B + ClusterNodes.REALM_PATH)) {
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl(null).replace(ClusterNodes.B, ClusterNodes.A));
            flow.load(onA(flow, "kc-form-login", Map.of("username", national(phone), "password", PASSWORD)));
            assertTrue(flow.page().contains("name=\"step\" value=\"overview\""), flow.page());
            // Each step on the other node than the one before: the draft lives in the shared database.
            flow.load(onB(flow, "tillit-kyc-form", Map.of("step", "overview")));
            flow.load(onA(flow, "tillit-kyc-form", Map.of("step", "country", "country", "SE")));
            flow.load(onB(flow, "tillit-kyc-form", Map.of("step", "document", "documentType", "passport", "documentCountry", "SE")));
            flow.load(onA(flow, "tillit-kyc-form", Map.of("step", "details", "fullName", "Kim Nod", "birthDate", "1990-01-01",
                    "street", "Klustervägen 2", "postalCode", "111 22", "city", "Stockholm")));
            assertTrue(flow.page().contains("name=\"step\" value=\"front\""), flow.page());

            // The front page came from A; its picture goes to B, which finds the sign-in and its upload token.
            assertEquals(200, uploadOn(ClusterNodes.B, flow, IdImages.front("Kim Nod")).statusCode());
            flow.load(onA(flow, "tillit-kyc-form", Map.of("step", "front")));
            assertTrue(flow.page().contains("name=\"step\" value=\"selfie\""), flow.page());
            assertEquals(200, uploadOn(ClusterNodes.A, flow, IdImages.selfie()).statusCode());
            flow.load(onB(flow, "tillit-kyc-form", Map.of("step", "selfie")));
            assertTrue(flow.page().contains("name=\"step\" value=\"review\""), flow.page());
            flow.load(onB(flow, "tillit-kyc-form", Map.of("step", "review")));
            assertTrue(flow.page().contains("id=\"tillit-kyc-submitted\""), flow.page());
            // "Continue" on A ends the sign-in: the answer is the application's callback, not a node's page.
            URI action = URI.create(flow.formAction("tillit-kyc-form"));
            flow.postFormTo(ClusterNodes.A + action.getRawPath() + "?" + action.getRawQuery(), Map.of("step", "submitted"));
            assertNotNull(client.awaitTokens().get("access_token"));
        }
        assertEquals(List.of("pending"), realmA.users().get(id).toRepresentation().getAttributes().get("kyc_status"));
        assertEquals(List.of("pending"), realmB.users().get(id).toRepresentation().getAttributes().get("kyc_status"));

        // A reviewer approves on node A; node B knows at once: the user, the queue, and that it is decided.
        String reviewer = "reviewer-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        String reviewerId = createReviewer(reviewer);
        realmA.users().get(reviewerId).roles().realmLevel().add(List.of(realmA.roles().get(KycReviewApi.ROLE).toRepresentation()));
        KycReviewApi onA = reviewerOn(ClusterNodes.A, reviewer);
        KycReviewApi onB = reviewerOn(ClusterNodes.B, reviewer);
        String caseId = null;
        for (JsonNode c : onB.getJson("/cases?order=newest&max=100")) {
            if (id.equals(c.get("userId").asText())) {
                caseId = c.get("id").asText();
            }
        }
        assertNotNull(caseId, "node B's queue holds the case submitted across both nodes");
        HttpResponse<String> approved = onA.post("/cases/" + caseId + "/approve", Map.of("level", 1));
        assertEquals(200, approved.statusCode(), approved.body());
        Map<String, List<String>> onBAttributes = realmB.users().get(id).toRepresentation().getAttributes();
        assertEquals(List.of("approved"), onBAttributes.get("kyc_status"));
        assertEquals(List.of("1"), onBAttributes.get("kyc_level"));
        assertEquals("approved", onB.getJson("/cases/" + caseId).get("status").asText());
        assertEquals(409, onB.post("/cases/" + caseId + "/reject", Map.of("reasons", List.of("blurry"))).statusCode(),
                "node B does not decide a case node A decided");
    }

    /**
     * The review API on {@code node}, with a token that node issued (a token names its issuer's address) to the
     * reviewers' page, with the reviewer's authenticator app: the API serves no other.
     */
    private static KycReviewApi reviewerOn(String node, String username) throws Exception {
        return new KycReviewApi(node, "tillit",
                KycReviewApi.pageToken(node + ClusterNodes.REALM_PATH, username, PASSWORD, KycReviewApi.totpSecret(username)));
    }

    /** A reviewer's account with a password and an authenticator app ({@link KycReviewApi#totpSecret}). */
    private static String createReviewer(String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password, TestUsers.totpCredential(KycReviewApi.totpSecret(username))));
        try (Response response = realmA.users().create(user)) {
            assertEquals(201, response.getStatus());
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** Sends a picture to the upload endpoint of the current upload page, on {@code node}. */
    private static HttpResponse<String> uploadOn(String node, HttpLoginFlow flow, java.nio.file.Path picture) throws Exception {
        Matcher url = Pattern.compile("data-url=\"([^\"]+)\"").matcher(flow.page());
        Matcher token = Pattern.compile("data-token=\"([^\"]+)\"").matcher(flow.page());
        assertTrue(url.find() && token.find(), flow.page());
        URI upload = URI.create(url.group(1).replace("&amp;", "&"));
        String there = node + upload.getRawPath() + "?" + upload.getRawQuery();
        return flow.postBytes(there, Map.of("Content-Type", "application/octet-stream", "X-Tillit-Upload-Token", token.group(1)),
                java.nio.file.Files.readAllBytes(picture));
    }

    // ---- a node goes away

    @Test
    @Order(100)
    void whenNodeAStopsInTheMiddleOfASignInTheUserGoesOnOnNodeB() throws Exception {
        String phone = freshPhone();
        String id = createUser(phone);
        try (DemoWebClient client = new DemoWebClient(ClusterNodes.B + ClusterNodes.REALM_PATH)) {
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl(null).replace(ClusterNodes.B, ClusterNodes.A));
            assertTrue(flow.formAction("kc-form-login").startsWith(ClusterNodes.A), flow.page());

            nodes.stop("a");
            nodeAStopped = true;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!nodes.log("b").contains("(1) [tillit-b") && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(nodes.log("b").contains("(1) [tillit-b"), "node b is alone in the cluster now");

            // The sign-in page came from A; the password goes to B, which finds the sign-in A began.
            flow.load(onB(flow, "kc-form-login", Map.of("username", national(phone), "password", PASSWORD)));
            JsonNode tokens = client.awaitTokens();
            assertNotNull(tokens.get("access_token"), tokens.toString());
            assertEquals(id, DemoWebClient.claims(tokens.get("access_token").asText()).path("sub").asText());
        }
    }

    // ---- helpers

    private static String authUrl(String node) {
        String verifierChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        return node + ClusterNodes.REALM_PATH + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
                + DemoWebClient.CLIENT_ID + "&redirect_uri=" + enc(DemoWebClient.REDIRECT_URI)
                + "&code_challenge_method=S256&code_challenge=" + verifierChallenge;
    }

    /** "Forgot password?" on node A for this number, up to its code page. */
    private static HttpLoginFlow resetOnA(String phone) throws Exception {
        HttpLoginFlow flow = new HttpLoginFlow().get(authUrl(ClusterNodes.A)).follow("reset-credentials")
                .submit("tillit-reset-form", "identifier", national(phone));
        assertTrue(flow.page().contains("id=\"tillit-code-form\""), flow.page());
        assertTrue(flow.formAction("tillit-code-form").startsWith(ClusterNodes.A), flow.formAction("tillit-code-form"));
        return flow;
    }

    private static HttpResponse<String> onB(HttpLoginFlow flow, String formId, Map<String, String> fields) throws Exception {
        return to(ClusterNodes.B, flow, formId, fields);
    }

    private static HttpResponse<String> onA(HttpLoginFlow flow, String formId, Map<String, String> fields) throws Exception {
        return to(ClusterNodes.A, flow, formId, fields);
    }

    /** Posts the form on the current page to {@code node}: its address with that node's port. */
    private static HttpResponse<String> to(String node, HttpLoginFlow flow, String formId, Map<String, String> fields) throws Exception {
        URI action = URI.create(flow.formAction(formId));
        URI there = URI.create(node).resolve(action.getRawPath() + (action.getRawQuery() == null ? "" : "?" + action.getRawQuery()));
        HttpResponse<String> response = flow.postFormTo(there.toString(), flow.withSignInAnswer(formId, fields));
        // The node that answered the post itself (its redirects, e.g. to the client, may follow).
        HttpResponse<?> first = response;
        while (first.previousResponse().isPresent()) {
            first = first.previousResponse().get();
        }
        assertTrue(first.uri().toString().startsWith(node), "answered by " + first.uri() + ", then " + response.uri());
        return response;
    }

    private static String widgetUrl(HttpLoginFlow flow, String node) throws Exception {
        flow.get(authUrl(node)).follow("/broker/telegram/login");
        Matcher m = Pattern.compile("data-auth-url=\"([^\"]+)\"").matcher(flow.page());
        assertTrue(m.find(), flow.page());
        return m.group(1).replace("&amp;", "&");
    }

    private static String freshPhone() {
        return "+46706" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    private static String national(String e164) {
        return "0" + e164.substring(3);
    }

    /** A user with a verified phone number and a password, created through node A's admin API. */
    private static String createUser(String phone) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("c-" + ThreadLocalRandom.current().nextInt(1_000_000_000));
        user.setEnabled(true);
        user.setAttributes(Map.of("phone_number", List.of(phone), "phone_number_verified", List.of("true")));
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (Response response = realmA.users().create(user)) {
            assertEquals(201, response.getStatus());
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** Removes the lock that setting the first password may have put (via node B: A must see it too). */
    private static void liftLock(String id) {
        UserRepresentation user = realmB.users().get(id).toRepresentation();
        java.util.Map<String, List<String>> attributes = new java.util.HashMap<>(user.getAttributes());
        attributes.remove("withdrawal_locked_until");
        user.setAttributes(attributes);
        realmB.users().get(id).update(user);
        assertEquals(0, lockOf(realmA, id), "lock lifted, as node A sees it");
    }

    private static long lockOf(RealmResource realm, String id) {
        Map<String, List<String>> attributes = realm.users().get(id).toRepresentation().getAttributes();
        List<String> lock = attributes == null ? null : attributes.get("withdrawal_locked_until");
        return lock == null || lock.isEmpty() ? 0 : Long.parseLong(lock.get(0));
    }

    private static HttpResponse<String> grant(String node, String username, String password) throws Exception {
        String form = "grant_type=password&client_id=demo-app&scope=openid&username=" + enc(username) + "&password=" + enc(password);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node + ClusterNodes.REALM_PATH
                        + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String node, String username, String password) throws Exception {
        HttpResponse<String> response = grant(node, username, password);
        assertEquals(200, response.statusCode(), node + ": " + response.body());
        return DemoWebClient.claims(JSON.readTree(response.body()).get("access_token").asText());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
