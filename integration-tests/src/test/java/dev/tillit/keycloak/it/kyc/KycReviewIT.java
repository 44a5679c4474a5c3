package dev.tillit.keycloak.it.kyc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.KycReviewApi;
import dev.tillit.keycloak.it.support.KycStorage;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.WebDriver;

/**
 * The reviewers' API on the real server: a case submitted through the real verification is
 * listed, read and decided by a {@code kyc-reviewer}; the user's account, token, events and email
 * follow. And everyone else — Keycloak's own admins of the realm, its users, the master realm's
 * admins and reviewers — gets nothing.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycReviewIT {

    static final String PASSWORD = "Review-Passw0rd!";
    static final String HOLDER = "Karin Lindqvist";
    /** DecisionWebhook's pause after a first failed attempt; it doubles after each further one. */
    static final Duration WEBHOOK_FIRST_PAUSE = Duration.ofSeconds(2);
    /** How long a due attempt may take to reach this machine's receiver (a thread wakes, a POST is made). */
    static final Duration WEBHOOK_ARRIVAL = Duration.ofSeconds(1);

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    @InjectAdminClient
    Keycloak admin;

    private TillitEventLog events;
    private WebDriver browser;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        browser = Browser.get();
    }

    @Test
    void aReviewerReadsTheQueueAndTheDocumentsAndApprovesInTheUsersLanguage() throws Exception {
        long start = System.currentTimeMillis();
        String email = TestUsers.freshEmail("review-approve");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "sv");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("reviewer");
        String reviewerId = KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));

        // The queue: newest first finds it at the top; the country filter and the age filter leave it out.
        JsonNode newest = api.getJson("/cases?status=pending&country=SE&order=newest");
        assertEquals(caseId, newest.get(0).get("id").asText(), newest.toString());
        assertEquals(userId, newest.get(0).get("userId").asText());
        assertEquals("id_card", newest.get(0).get("documentType").asText());
        assertFalse(ids(api.getJson("/cases?country=NO")).contains(caseId));
        assertFalse(ids(api.getJson("/cases?minAgeHours=1")).contains(caseId), "a minute-old case is not an hour old");
        assertTrue(ids(api.getJson("/cases?maxAgeHours=1&max=100&order=newest")).contains(caseId));
        assertFalse(ids(api.getJson("/cases?status=approved&max=100&order=newest")).contains(caseId));
        assertEquals(400, api.getText("/cases?status=draft").statusCode(), "drafts are the user's own business");

        // One case: its details decrypted, its documents listed.
        JsonNode one = api.getJson("/cases/" + caseId);
        assertEquals(HOLDER, one.get("details").get("fullName").asText());
        assertEquals("1990-01-01", one.get("details").get("birthDate").asText());
        assertEquals(email, one.get("email").asText());
        List<String> kinds = new ArrayList<>();
        one.get("documents").forEach(d -> kinds.add(d.get("kind").asText()));
        assertEquals(java.util.Set.of("front", "back", "selfie"), java.util.Set.copyOf(kinds));

        // A document: exactly the stored picture, decrypted, a JPEG that decodes.
        HttpResponse<byte[]> front = api.get("/cases/" + caseId + "/documents/front");
        assertEquals(200, front.statusCode());
        assertEquals("image/jpeg", front.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", front.headers().firstValue("Cache-Control").orElse(""));
        KycStorage.Document stored = KycStorage.documentsOf(caseId).get("front");
        assertArrayEquals(KycStorage.open(stored.content(), realm.getId(), caseId, "front"), front.body());
        assertEquals(1600, ImageIO.read(new ByteArrayInputStream(front.body())).getWidth());
        assertEquals(404, api.get("/cases/" + caseId + "/documents/passport").statusCode());
        assertEquals(404, api.get("/cases/not-a-case/documents/front").statusCode());

        // Approve: bad levels are refused first.
        assertEquals(400, api.post("/cases/" + caseId + "/approve", Map.of("level", 3)).statusCode());
        assertEquals(400, api.post("/cases/" + caseId + "/approve", Map.of()).statusCode());
        HttpResponse<String> approved = api.post("/cases/" + caseId + "/approve", Map.of("level", 2));
        assertEquals(200, approved.statusCode(), approved.body());
        // Decided once: a second decision (a second reviewer, a replay) is refused.
        assertEquals(409, api.post("/cases/" + caseId + "/reject", Map.of("reasons", List.of("blurry"))).statusCode());

        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("approved"), user.getAttributes().get("kyc_status"));
        assertEquals(List.of("2"), user.getAttributes().get("kyc_level"));
        Map<String, String> columns = KycReviewApi.decisionColumns(caseId);
        assertEquals("approved", columns.get("status"));
        assertEquals("2", columns.get("level_granted"));
        assertEquals(reviewerId, columns.get("decided_by"));
        EventRepresentation event = events.await("kyc_approved");
        assertEquals(userId, event.getUserId());
        assertEquals(caseId, TillitEventLog.detail(event, "kyc_case"));
        assertEquals("2", TillitEventLog.detail(event, "kyc_level"));

        MimeMessage message = Mails.to(mail, email, "Din identitet är verifierad");
        String html = Mails.part(message, "text/html");
        assertTrue(html.contains("verifierat på nivå 2"), html);
        assertTrue(Mails.part(message, "text/plain").contains("verifierat på nivå 2"));

        JsonNode claims = DemoWebClient.claims(KycReviewApi.appToken(realm, email, PASSWORD));
        assertEquals("approved", claims.get("kyc_status").asText());
        assertEquals("2", claims.get("kyc_level").asText());

        // Audited: the view of the details, of the picture, and the decision; no personal data in them.
        List<AdminEventRepresentation> audit = adminEventsBy(reviewerId, start);
        List<String> paths = audit.stream().map(AdminEventRepresentation::getResourcePath).toList();
        assertTrue(paths.contains("tillit-kyc/cases/" + caseId), paths.toString());
        assertTrue(paths.contains("tillit-kyc/cases/" + caseId + "/documents/front"), paths.toString());
        AdminEventRepresentation decision = audit.stream()
                .filter(e -> ("tillit-kyc/cases/" + caseId + "/approve").equals(e.getResourcePath())).findFirst().orElseThrow();
        assertEquals("UPDATE", decision.getOperationType());
        assertEquals("CUSTOM", decision.getResourceType());
        assertTrue(decision.getRepresentation().contains("\"status\":\"approved\""), decision.getRepresentation());
        for (AdminEventRepresentation e : audit) {
            String rep = String.valueOf(e.getRepresentation());
            assertFalse(rep.contains("Lindqvist") || rep.contains("1990-01-01") || rep.contains(email), rep);
            assertEquals(realm.getId(), e.getAuthDetails().getRealmId());
        }
    }

    @Test
    void aRejectionTellsTheUserTheReasons() throws Exception {
        String email = TestUsers.freshEmail("review-reject");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));

        assertEquals(400, api.post("/cases/" + caseId + "/reject", Map.of()).statusCode(), "a rejection needs a reason");
        assertEquals(400, api.post("/cases/" + caseId + "/reject", Map.of("reasons", List.of("looks_odd"))).statusCode());
        HttpResponse<String> rejected = api.post("/cases/" + caseId + "/reject",
                Map.of("reasons", List.of("blurry", "name_mismatch")));
        assertEquals(200, rejected.statusCode(), rejected.body());

        assertEquals(List.of("rejected"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
        assertEquals("blurry,name_mismatch", KycReviewApi.decisionColumns(caseId).get("decision_reasons"));
        assertEquals("blurry,name_mismatch", TillitEventLog.detail(events.await("kyc_rejected"), "kyc_reasons"));
        MimeMessage message = Mails.to(mail, email, "We could not verify your identity");
        String text = Mails.part(message, "text/plain");
        assertTrue(text.contains("- The picture is blurry.") && text.contains("- The name does not match the document."), text);
        assertTrue(Mails.part(message, "text/html").contains("<li>The picture is blurry.</li>"));
        assertFalse(ids(api.getJson("/cases?max=100")).contains(caseId), "decided cases leave the pending queue");
        assertTrue(ids(api.getJson("/cases?status=rejected&order=newest&max=100")).contains(caseId));
    }

    @Test
    void aResubmissionAsksForTheNamedPicturesAndBringsTheActionBack() throws Exception {
        String email = TestUsers.freshEmail("review-resubmit");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));

        assertEquals(400, api.post("/cases/" + caseId + "/resubmission", Map.of("reasons", List.of("glare"))).statusCode(),
                "which pictures?");
        assertEquals(400, api.post("/cases/" + caseId + "/resubmission",
                Map.of("reasons", List.of("glare"), "documents", List.of("details"))).statusCode());
        HttpResponse<String> asked = api.post("/cases/" + caseId + "/resubmission",
                Map.of("reasons", List.of("glare"), "documents", List.of("selfie", "front")));
        assertEquals(200, asked.statusCode(), asked.body());

        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("resubmission_required"), user.getAttributes().get("kyc_status"));
        assertTrue(user.getRequiredActions().contains(KycPages.ACTION), user.getRequiredActions().toString());
        Map<String, String> columns = KycReviewApi.decisionColumns(caseId);
        assertEquals("resubmission_required", columns.get("status"));
        assertEquals("front,selfie", columns.get("resubmit_kinds"));
        EventRepresentation event = events.await("kyc_resubmission_requested");
        assertEquals("front,selfie", TillitEventLog.detail(event, "kyc_documents"));
        String text = Mails.part(Mails.to(mail, email, "Please send new pictures to verify your identity"), "text/plain");
        assertTrue(text.contains("- The front of your ID") && text.contains("- A selfie") && !text.contains("The back of your ID"), text);
        assertTrue(text.contains("- Light reflects on the document."), text);
    }

    @Test
    void theExchangesWebhookGetsEachDecisionOnceSignedAfterBeingDown() throws Exception {
        String secret = "whsec-" + System.nanoTime();
        TillitServerConfig.writeVaultEntry("kyc-webhook-secret", secret);
        String email = TestUsers.freshEmail("review-webhook");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));

        // The receiver hangs 5 s on the first attempt, then answers 503 twice: down.
        try (WebhookReceiver receiver = new WebhookReceiver(secret, 2, 5_000);
             TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin())
                     .set("kycWebhookUrl", receiver.url()).set("kycWebhookSecret", "${vault.kyc-webhook-secret}")) {
            long before = System.nanoTime();
            HttpResponse<String> rejected = api.post("/cases/" + caseId + "/reject", Map.of("reasons", List.of("expired_document")));
            assertEquals(200, rejected.statusCode(), rejected.body());
            assertTrue(System.nanoTime() - before < 3_500_000_000L, "the reviewer waited for the webhook");

            List<WebhookReceiver.Received> got = receiver.await(3);
            long takenAt = System.nanoTime();
            assertEquals(List.of(503, 503, 200), got.stream().map(WebhookReceiver.Received::answered).toList());
            // Nothing more comes once it was taken: wait past the time a fourth attempt would have been
            // made had the third failed (the pause doubles after each attempt), and for it to arrive.
            long fourthDue = takenAt + WEBHOOK_FIRST_PAUSE.multipliedBy(4).plus(WEBHOOK_ARRIVAL).toNanos();
            for (long left = fourthDue - System.nanoTime(); left > 0; left = fourthDue - System.nanoTime()) {
                Thread.sleep(left / 1_000_000 + 1);
            }
            got = receiver.received();
            assertEquals(3, got.size(), "delivered once, then no more: " + got);
            for (WebhookReceiver.Received r : got) {
                assertTrue(r.signatureValid(), r.toString());
                assertEquals(got.get(0).body(), r.body(), "a retry sends the same signed body");
                assertEquals(got.get(0).delivery(), r.delivery());
            }
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(got.get(0).body());
            assertEquals("kyc_rejected", body.get("event").asText());
            assertEquals(userId, body.get("userId").asText());
            assertEquals(caseId, body.get("caseId").asText());
            assertEquals("rejected", body.get("status").asText());
            assertTrue(body.get("level").isNull());
            assertEquals("expired_document", body.get("reasons").get(0).asText());
            assertTrue(Math.abs(body.get("timestamp").asLong() - System.currentTimeMillis() / 1000) < 120);
            assertFalse(got.get(0).body().contains(email) || got.get(0).body().contains("Lindqvist"), "personal data in the webhook");
        }
    }

    @Test
    void aReviewerCannotDecideTheirOwnVerification() throws Exception {
        String email = TestUsers.freshEmail("review-self");
        // A reviewer (authenticator app and all) who verifies their own identity.
        String userId = KycReviewApi.reviewer(realm, email, PASSWORD);
        KycReviewApi.submitCase(realm, browser, userId, email, PASSWORD, KycReviewApi.totpSecret(email), HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        KycReviewApi self = KycReviewApi.of(realm, KycReviewApi.token(realm, email, PASSWORD));
        assertEquals(200, self.getText("/cases").statusCode(), "a reviewer like any other");

        HttpResponse<String> approved = self.post("/cases/" + caseId + "/approve", Map.of("level", 2));
        assertEquals(403, approved.statusCode(), approved.body());
        assertEquals("pending", KycReviewApi.decisionColumns(caseId).get("status"));
        assertEquals(List.of("pending"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
    }

    @Test
    void nobodyButThisRealmsReviewersGetsIn() throws Exception {
        String someCase = "00000000-0000-0000-0000-000000000000";
        List<String> paths = List.of("/cases", "/cases/" + someCase, "/cases/" + someCase + "/documents/front");

        // No token at all.
        for (String path : paths) {
            assertEquals(401, KycReviewApi.of(realm, null).get(path).statusCode(), path);
        }

        // Keycloak's own full admin of this realm (realm-admin covers manage-users): not a reviewer.
        String adminEmail = TestUsers.freshEmail("realm-admin");
        String adminId = TestUsers.create(realm, adminEmail, null, PASSWORD);
        String managementId = realm.admin().clients().findByClientId("realm-management").get(0).getId();
        RoleRepresentation realmAdmin = realm.admin().clients().get(managementId).roles().get("realm-admin").toRepresentation();
        realm.admin().users().get(adminId).roles().clientLevel(managementId).add(List.of(realmAdmin));
        KycReviewApi asAdmin = KycReviewApi.of(realm, KycReviewApi.appToken(realm, adminEmail, PASSWORD));
        assertEquals(200, adminGet(realm.getName(), KycReviewApi.appToken(realm, adminEmail, PASSWORD)),
                "the realm admin does reach Keycloak's own admin API");
        forbidden(asAdmin, paths);
        assertEquals(403, asAdmin.post("/cases/" + someCase + "/approve", Map.of("level", 2)).statusCode());

        // A user of the realm.
        String userEmail = TestUsers.freshEmail("plain-user");
        TestUsers.create(realm, userEmail, null, PASSWORD);
        forbidden(KycReviewApi.of(realm, KycReviewApi.appToken(realm, userEmail, PASSWORD)), paths);

        // The master realm's admin, who administers every realm.
        KycReviewApi asMasterAdmin = KycReviewApi.of(realm, admin.tokenManager().getAccessTokenString());
        forbidden(asMasterAdmin, paths);

        // A master-realm user holding a master role of the same name: a reviewer of nothing here.
        var master = admin.realm("master");
        if (master.roles().list().stream().noneMatch(r -> r.getName().equals(KycReviewApi.ROLE))) {
            master.roles().create(new RoleRepresentation(KycReviewApi.ROLE, null, false));
        }
        UserRepresentation rep = new UserRepresentation();
        rep.setUsername("master-reviewer-" + System.nanoTime());
        rep.setEnabled(true);
        rep.setEmail(TestUsers.freshEmail("master-reviewer"));
        rep.setEmailVerified(true);
        rep.setFirstName("Master");
        rep.setLastName("Reviewer");
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(PASSWORD);
        credential.setTemporary(false);
        rep.setCredentials(List.of(credential));
        String masterUserId;
        try (Response created = master.users().create(rep)) {
            assertEquals(201, created.getStatus());
            String location = created.getLocation().getPath();
            masterUserId = location.substring(location.lastIndexOf('/') + 1);
        }
        try {
            master.users().get(masterUserId).roles().realmLevel().add(List.of(
                    master.roles().get(KycReviewApi.ROLE).toRepresentation(), master.roles().get("admin").toRepresentation()));
            String token = masterToken(rep.getUsername(), PASSWORD);
            forbidden(KycReviewApi.of(realm, token), paths);
            // The token is good: the same user reaches Keycloak's own admin API of this realm.
            assertEquals(200, adminGet(realm.getName(), token));
        } finally {
            master.users().get(masterUserId).remove();
        }
        // A token of this realm presented for another realm's review API: refused by Keycloak.
        String reviewerEmail = TestUsers.freshEmail("reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        String reviewerToken = KycReviewApi.token(realm, reviewerEmail, PASSWORD);
        int other = new KycReviewApi(serverUrl(), "master", reviewerToken).get("/cases").statusCode();
        assertTrue(other == 401 || other == 403, "master's review API with a tillit token: " + other);
        assertEquals(200, KycReviewApi.of(realm, reviewerToken).get("/cases").statusCode());
    }

    /**
     * Issue 18, case 6: a reviewer's token from the customers' app (demo-app's password grant, even with the
     * authenticator code) and a reviewer's token without a second factor open nothing; each refusal is an admin
     * event naming the client and the level, and shows no case. A client the operator lists is served, with a
     * second factor only.
     */
    @Test
    void theReviewApiServesOnlyTheReviewersPageAndOnlyWithASecondFactor() throws Exception {
        String caseOwner = TestUsers.freshEmail("review-doors");
        String caseId = KycStorage.casesOf(realm.getId(), KycReviewApi.submittedCase(realm, browser, caseOwner, PASSWORD, HOLDER, "en"))
                .get(0).id();
        String casePath = "/cases/" + caseId;

        // The reviewers' page, with the authenticator app: served.
        String reviewerEmail = TestUsers.freshEmail("reviewer-doors");
        String reviewerId = KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        String pageToken = KycReviewApi.token(realm, reviewerEmail, PASSWORD);
        JsonNode pageClaims = DemoWebClient.claims(pageToken);
        assertEquals(KycReviewApi.PAGE_CLIENT, pageClaims.get("azp").asText());
        assertEquals("2", pageClaims.get("acr").asText());
        assertEquals(200, KycReviewApi.of(realm, pageToken).getText(casePath).statusCode());

        // The same reviewer through the customers' app, second factor and all: refused, and audited.
        long start = System.currentTimeMillis();
        String appToken = appTokenWithCode(reviewerEmail, KycReviewApi.totpSecret(reviewerEmail));
        assertEquals("2", DemoWebClient.claims(appToken).get("acr").asText(), "the app's token does show the second factor");
        HttpResponse<String> fromApp = KycReviewApi.of(realm, appToken).getText(casePath);
        assertEquals(403, fromApp.statusCode());
        assertEquals("client_not_allowed", TestUsers.json(fromApp).get("error").asText());
        assertEquals(403, KycReviewApi.of(realm, appToken).post(casePath + "/approve", Map.of("level", 1)).statusCode());
        AdminEventRepresentation refusal = refusalBy(reviewerId, start);
        assertEquals("ACTION", refusal.getOperationType());
        assertEquals("CUSTOM", refusal.getResourceType());
        JsonNode said = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refusal.getRepresentation());
        assertEquals("client_not_allowed", said.get("reason").asText());
        assertEquals("demo-app", said.get("client").asText());
        assertEquals("pending", KycReviewApi.decisionColumns(caseId).get("status"), "nothing was decided");
        assertTrue(reviewerEventsSince(reviewerId, start).stream().noneMatch(e -> e.getResourcePath().startsWith("tillit-kyc/cases")),
                "no case was viewed");

        // A reviewer without a second factor, through the reviewers' page itself: one factor, refused.
        String oneFactorEmail = TestUsers.freshEmail("reviewer-one-factor");
        String oneFactorId = TestUsers.create(realm, oneFactorEmail, null, PASSWORD);
        KycReviewApi.grantReviewerRole(realm, oneFactorId);
        long second = System.currentTimeMillis();
        String oneFactorToken = KycReviewApi.pageToken(realm, oneFactorEmail, PASSWORD, null);
        assertEquals("1", DemoWebClient.claims(oneFactorToken).get("acr").asText());
        HttpResponse<String> oneFactor = KycReviewApi.of(realm, oneFactorToken).getText("/cases");
        assertEquals(403, oneFactor.statusCode());
        assertEquals("second_factor_required", TestUsers.json(oneFactor).get("error").asText());
        JsonNode oneFactorRefusal = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refusalBy(oneFactorId, second).getRepresentation());
        assertEquals("second_factor_required", oneFactorRefusal.get("reason").asText());
        assertEquals("1", oneFactorRefusal.get("acr").asText());

        // The operator lists the app as a review client: its token with the second factor is served, its
        // one-factor token still is not.
        try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin()).set("kycReviewClients", "demo-app")) {
            assertEquals(200, KycReviewApi.of(realm, appTokenWithCode(reviewerEmail, KycReviewApi.totpSecret(reviewerEmail)))
                    .getText(casePath).statusCode());
            HttpResponse<String> listedOneFactor = KycReviewApi.of(realm, KycReviewApi.appToken(realm, oneFactorEmail, PASSWORD)).getText("/cases");
            assertEquals(403, listedOneFactor.statusCode());
            assertEquals("second_factor_required", TestUsers.json(listedOneFactor).get("error").asText());
        }
    }

    /** demo-app's password grant for an account with an authenticator app: the code in the same request. */
    private String appTokenWithCode(String email, String totpSecret) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=demo-app&scope=openid&username="
                        + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                        + java.net.URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&otp=" + dev.tillit.keycloak.it.support.Totp.unused(totpSecret)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return TestUsers.json(response).get("access_token").asText();
    }

    private List<AdminEventRepresentation> reviewerEventsSince(String userId, long since) {
        return realm.admin().getAdminEvents(null, null, null, userId, null, null, null, null, 0, 100).stream()
                .filter(e -> e.getTime() >= since).toList();
    }

    /** The admin event {@code tillit-kyc/refused} of a call by {@code userId} since {@code since}. */
    private AdminEventRepresentation refusalBy(String userId, long since) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.Optional<AdminEventRepresentation> found = reviewerEventsSince(userId, since).stream()
                    .filter(e -> "tillit-kyc/refused".equals(e.getResourcePath())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no tillit-kyc/refused admin event by " + userId + ": "
                + reviewerEventsSince(userId, since).stream().map(AdminEventRepresentation::getResourcePath).toList());
    }

    private static void forbidden(KycReviewApi api, List<String> paths) throws Exception {
        for (String path : paths) {
            HttpResponse<byte[]> response = api.get(path);
            assertEquals(403, response.statusCode(), path + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private String serverUrl() {
        String url = realm.getBaseUrl();
        return url.substring(0, url.indexOf("/realms/"));
    }

    private int adminGet(String realmName, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serverUrl() + "/admin/realms/" + realmName + "/users?max=1"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String masterToken(String username, String password) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(serverUrl() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + java.net.URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                        + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return TestUsers.json(response).get("access_token").asText();
    }

    private List<AdminEventRepresentation> adminEventsBy(String reviewerId, long since) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<AdminEventRepresentation> found = List.of();
        while (System.nanoTime() < deadline) {
            found = realm.admin().getAdminEvents(null, null, null, reviewerId, null, null, null, null, 0, 100).stream()
                    .filter(e -> e.getTime() >= since).toList();
            if (found.stream().anyMatch(e -> e.getResourcePath().endsWith("/approve"))) {
                return found;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no decision among the reviewer's admin events: "
                + found.stream().map(AdminEventRepresentation::getResourcePath).toList());
    }

    private static List<String> ids(JsonNode cases) {
        List<String> out = new ArrayList<>();
        cases.forEach(c -> out.add(c.get("id").asText()));
        return out;
    }


}
