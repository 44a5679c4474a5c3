package dev.tillit.keycloak.it.kyc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.Artifacts;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.IdImages;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.KycReviewApi;
import dev.tillit.keycloak.it.support.KycStorage;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SumsubStandIn;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * KYC decided by Sumsub: the realm switched to the {@code sumsub} verifier by its settings, a case
 * submitted through the real verification reaches a local stand-in that speaks Sumsub's API and
 * refuses unsigned requests; the stand-in's signed {@code applicantReviewed} webhook decides it
 * through the same path as a reviewer (attributes, event, email). Forged, replayed and foreign
 * webhooks change nothing; a Sumsub that is down gets the case once it is back.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SumsubIT {

    static final String PASSWORD = "Sumsub-Passw0rd!";
    static final String HOLDER = "Karin Lindqvist";
    static final String LEVEL = "tillit-basic-kyc";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private WebDriver browser;
    private SumsubStandIn sumsub;
    private TillitSettingsAdmin settings;
    private String webhookSecret;

    @BeforeEach
    void setUp() throws IOException {
        events = new TillitEventLog(realm);
        browser = Browser.get();
        String appToken = "sbx:tillit-" + System.nanoTime();
        String secretKey = "sk-" + System.nanoTime();
        webhookSecret = "wh-" + System.nanoTime();
        TillitServerConfig.writeVaultEntry("sumsub-app-token", appToken);
        TillitServerConfig.writeVaultEntry("sumsub-secret-key", secretKey);
        TillitServerConfig.writeVaultEntry("sumsub-webhook-secret", webhookSecret);
        sumsub = new SumsubStandIn(appToken, secretKey, webhookSecret);
        settings = new TillitSettingsAdmin(realm.admin())
                .set("kycVerifier", "sumsub")
                .set("kycSumsubUrl", sumsub.url())
                .set("kycSumsubAppToken", "${vault.sumsub-app-token}")
                .set("kycSumsubSecretKey", "${vault.sumsub-secret-key}")
                .set("kycSumsubWebhookSecret", "${vault.sumsub-webhook-secret}")
                .set("kycSumsubLevelName", LEVEL)
                .set("kycVendorRetrySeconds", "1");
    }

    @AfterEach
    void tearDown() {
        // Other classes share the server and the realm: back to people deciding.
        settings.close();
        sumsub.close();
    }

    private String callback() {
        return realm.getBaseUrl() + "/tillit-kyc-vendor/sumsub";
    }

    @Test
    void sumsubGetsTheCaseSignedAndItsGreenVerdictApprovesOnce() throws Exception {
        String email = TestUsers.freshEmail("sumsub-green");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();

        // The applicant (named by the account: one applicant per person), its three pictures (exactly the
        // stored ones) and the check, every request signed.
        SumsubStandIn.Applicant applicant = sumsub.awaitCheckRequested(userId, 30);
        assertEquals(1, sumsub.applicantsOf(userId).size());
        assertEquals(LEVEL, applicant.levelName);
        assertEquals(0, sumsub.refusedSignatures(), "every request carried a valid signature");
        Map<String, SumsubStandIn.Document> byKind = new HashMap<>();
        for (SumsubStandIn.Document d : applicant.documents) {
            byKind.put("SELFIE".equals(d.idDocType()) ? "selfie" : "FRONT_SIDE".equals(d.idDocSubType()) ? "front" : "back", d);
        }
        assertEquals(3, applicant.documents.size());
        assertEquals("ID_CARD", byKind.get("front").idDocType());
        assertEquals("SWE", byKind.get("front").country());
        assertEquals("BACK_SIDE", byKind.get("back").idDocSubType());
        assertEquals("ID_CARD", byKind.get("back").idDocType());
        assertNull(byKind.get("selfie").idDocSubType());
        assertEquals("SWE", byKind.get("selfie").country());
        Map<String, KycStorage.Document> stored = KycStorage.documentsOf(caseId);
        for (String kind : List.of("front", "back", "selfie")) {
            assertEquals("image/jpeg", byKind.get(kind).contentType());
            assertArrayEquals(KycStorage.open(stored.get(kind).content(), realm.getId(), caseId, kind), byKind.get(kind).content(), kind);
        }
        EventRepresentation handed = awaitFor("kyc_vendor_submitted", caseId);
        assertEquals(userId, handed.getUserId());
        assertEquals(applicant.id, TillitEventLog.detail(handed, "kyc_vendor_applicant"));
        assertEquals("sumsub", TillitEventLog.detail(handed, "kyc_verifier"));
        Map<String, String> vendor = vendorColumns(caseId);
        assertEquals("sumsub", vendor.get("vendor"));
        assertEquals(applicant.id, vendor.get("vendor_applicant_id"));
        assertEquals("submitted", vendor.get("vendor_state"));

        // Forged: wrong key, no digest, another algorithm than the digest's. 401, nothing changes.
        byte[] green = SumsubStandIn.reviewedBody(applicant.id, userId, LEVEL, "GREEN", null, List.of());
        String forged = SumsubStandIn.digest("not-the-webhook-secret", "HmacSHA256", green);
        assertEquals(401, SumsubStandIn.post(callback(), green, "HMAC_SHA256_HEX", forged).statusCode());
        assertEquals(401, SumsubStandIn.post(callback(), green, "HMAC_SHA256_HEX", null).statusCode());
        assertEquals(401, SumsubStandIn.post(callback(), green, null, sumsub.webhookDigest("HmacSHA256", green)).statusCode());
        assertEquals(401, SumsubStandIn.post(callback(), green, "HMAC_SHA512_HEX", sumsub.webhookDigest("HmacSHA256", green)).statusCode());
        EventRepresentation refused = events.await("kyc_vendor_callback_refused");
        assertEquals("invalid_signature", refused.getError());
        assertEquals("pending", KycReviewApi.decisionColumns(caseId).get("status"));

        // Signed, but for an applicant that is none of this realm's cases, or naming another case: ignored.
        byte[] stranger = SumsubStandIn.reviewedBody("65ffffffffffffffffffffff", userId, LEVEL, "GREEN", null, List.of());
        HttpResponse<String> unknown = SumsubStandIn.post(callback(), stranger, "HMAC_SHA256_HEX", sumsub.webhookDigest("HmacSHA256", stranger));
        assertEquals(200, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown_applicant"), unknown.body());
        byte[] mismatch = SumsubStandIn.reviewedBody(applicant.id, "another-case", LEVEL, "GREEN", null, List.of());
        assertEquals(200, SumsubStandIn.post(callback(), mismatch, "HMAC_SHA256_HEX", sumsub.webhookDigest("HmacSHA256", mismatch))
                .statusCode());
        // Another realm (master decides by people): its callback is not there.
        String masterCallback = callback().replace("/realms/" + realm.getName() + "/", "/realms/master/");
        assertEquals(404, SumsubStandIn.post(masterCallback, green, "HMAC_SHA256_HEX", sumsub.webhookDigest("HmacSHA256", green))
                .statusCode());
        assertEquals("pending", KycReviewApi.decisionColumns(caseId).get("status"));

        // The real verdict, signed with HMAC-SHA512 as a Sumsub webhook may be set up to sign.
        HttpResponse<String> decided = SumsubStandIn.post(callback(), green, "HMAC_SHA512_HEX", sumsub.webhookDigest("HmacSHA512", green));
        assertEquals(200, decided.statusCode(), decided.body());
        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("approved"), user.getAttributes().get("kyc_status"));
        assertEquals(List.of("1"), user.getAttributes().get("kyc_level"));
        Map<String, String> columns = KycReviewApi.decisionColumns(caseId);
        assertEquals("approved", columns.get("status"));
        assertEquals("1", columns.get("level_granted"));
        assertEquals("sumsub", columns.get("decided_by"));
        EventRepresentation approved = awaitFor("kyc_approved", caseId);
        assertEquals(userId, approved.getUserId());
        assertEquals("sumsub", TillitEventLog.detail(approved, "kyc_verifier"));
        assertEquals("1", TillitEventLog.detail(approved, "kyc_level"));
        assertTrue(Mails.part(Mails.to(mail, email, "Your identity is verified"), "text/plain").contains("verified at level 1"));

        // Replayed (Sumsub resends until it hears 200): answered 200, nothing happens twice.
        HttpResponse<String> replay = sumsub.sendReviewed(callback(), applicant, "GREEN", null, List.of());
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("already_decided"), replay.body());
        // A decision's mail and event go out as its request commits, before it is answered: once the
        // replay is answered, anything it sent has arrived.
        assertEquals(1, Mails.count(mail, email, "Your identity is verified"), "one email");
        assertEquals(1, events.all("kyc_approved").stream().filter(e -> caseId.equals(TillitEventLog.detail(e, "kyc_case"))).count());
    }

    @Test
    void aFinalRedVerdictRejectsWithTheReasons() throws Exception {
        String email = TestUsers.freshEmail("sumsub-red");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        SumsubStandIn.Applicant applicant = sumsub.awaitCheckRequested(userId, 30);

        // FORGERY and BLACKLIST word no reason of ours (forgery is more than "edited"); GRAPHIC_EDITOR does.
        HttpResponse<String> decided = sumsub.sendReviewed(callback(), applicant, "RED", "FINAL",
                List.of("FORGERY", "GRAPHIC_EDITOR", "BAD_FACE_MATCHING", "BLACKLIST"));
        assertEquals(200, decided.statusCode(), decided.body());
        assertEquals(List.of("rejected"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
        Map<String, String> columns = KycReviewApi.decisionColumns(caseId);
        assertEquals("rejected", columns.get("status"));
        assertEquals("edited_document,face_mismatch", columns.get("decision_reasons"));
        assertEquals("sumsub", columns.get("decided_by"));
        EventRepresentation rejected = awaitFor("kyc_rejected", caseId);
        assertEquals("edited_document,face_mismatch", TillitEventLog.detail(rejected, "kyc_reasons"));
        String text = Mails.part(Mails.to(mail, email, "We could not verify your identity"), "text/plain");
        assertTrue(text.contains("- The document appears to have been edited.")
                && text.contains("- The selfie does not match the photo on the document."), text);
    }

    @Test
    void aRetryVerdictAsksForTheNamedPicturesAgain() throws Exception {
        String email = TestUsers.freshEmail("sumsub-retry");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        SumsubStandIn.Applicant applicant = sumsub.awaitCheckRequested(userId, 30);

        HttpResponse<String> decided = sumsub.sendReviewed(callback(), applicant, "RED", "RETRY", List.of("BAD_SELFIE"));
        assertEquals(200, decided.statusCode(), decided.body());
        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("resubmission_required"), user.getAttributes().get("kyc_status"));
        assertTrue(user.getRequiredActions().contains(KycPages.ACTION), user.getRequiredActions().toString());
        assertEquals("selfie", KycReviewApi.decisionColumns(caseId).get("resubmit_kinds"));
        assertEquals("selfie", TillitEventLog.detail(awaitFor("kyc_resubmission_requested", caseId), "kyc_documents"));
        String text = Mails.part(Mails.to(mail, email, "Please send new pictures to verify your identity"), "text/plain");
        assertTrue(text.contains("- A selfie") && !text.contains("The front of your ID"), text);

        // The user takes the selfie again: the new case continues on the same applicant at Sumsub, which
        // gets the new selfie only and is asked to check again; no second applicant.
        Instant beforeResubmission = Instant.now();
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            assertEquals("selfie", KycPages.step(browser));
            KycPages.upload(browser, IdImages.selfie());
            assertEquals("review", KycPages.step(browser));
            KycPages.press(browser, "tillit-kyc-submit");
            KycPages.press(browser, "tillit-kyc-continue");
            client.awaitTokens();
        }
        List<KycStorage.Case> cases = KycStorage.casesOf(realm.getId(), userId);
        assertEquals(List.of("resubmission_required", "pending"), cases.stream().map(KycStorage.Case::status).toList());
        String secondId = cases.get(1).id();
        SumsubStandIn.Applicant again = sumsub.awaitCheckRequests(userId, 2, 30);
        assertEquals(applicant.id, again.id, "the same applicant");
        assertEquals(1, sumsub.applicantsOf(userId).size(), "no second applicant");
        assertEquals(4, again.documents.size(), "the three first pictures and the new selfie");
        SumsubStandIn.Document selfie = again.documents.get(3);
        assertEquals("SELFIE", selfie.idDocType());
        assertArrayEquals(KycStorage.open(KycStorage.documentsOf(secondId).get("selfie").content(), realm.getId(), secondId, "selfie"),
                selfie.content());
        awaitFor("kyc_vendor_submitted", secondId);
        assertEquals(applicant.id, vendorColumns(secondId).get("vendor_applicant_id"));
        assertEquals(0, sumsub.refusedSignatures());

        // A late resend of the first verdict (created before this submission) is not about the new pictures.
        byte[] late = SumsubStandIn.reviewedBody(applicant.id, userId, LEVEL, "RED", "RETRY", List.of("BAD_SELFIE"),
                beforeResubmission.minusSeconds(5));
        HttpResponse<String> stale = SumsubStandIn.post(callback(), late, "HMAC_SHA256_HEX", sumsub.webhookDigest("HmacSHA256", late));
        assertEquals(200, stale.statusCode());
        assertTrue(stale.body().contains("stale"), stale.body());
        assertEquals("pending", KycReviewApi.decisionColumns(secondId).get("status"));

        // Sumsub's verdict on the new pictures decides the new case.
        HttpResponse<String> approved = sumsub.sendReviewed(callback(), again, "GREEN", null, List.of());
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("approved", KycReviewApi.decisionColumns(secondId).get("status"));
        assertEquals("resubmission_required", KycReviewApi.decisionColumns(caseId).get("status"));
    }

    @Test
    void theApplicantIsDeactivatedAtSumsubWhenItsLastCaseIsDeleted() throws Exception {
        String email = TestUsers.freshEmail("sumsub-delete");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        SumsubStandIn.Applicant applicant = sumsub.awaitCheckRequested(userId, 30);
        assertEquals(200, sumsub.sendReviewed(callback(), applicant, "GREEN", null, List.of()).statusCode());

        // The account goes: the decided case is kept for the retention period, and the applicant with it.
        realm.admin().users().get(userId).remove();
        awaitFor("kyc_case_retained", caseId);
        assertFalse(applicant.deactivated, "evidence still kept");

        // The retention period ends: the case is deleted, and Sumsub is told to deactivate the applicant.
        String reviewerEmail = TestUsers.freshEmail("sumsub-delete-reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));
        settings.set("kycRetentionDays", "1");
        KycStorage.accountClosedDaysAgo(caseId, 25.0 / 24);
        HttpResponse<String> swept = api.post("/retention/sweep", Map.of());
        assertEquals(200, swept.statusCode(), swept.body());
        awaitFor("kyc_case_purged", caseId);
        sumsub.awaitDeactivated(applicant, 30);
        assertEquals(0, sumsub.refusedSignatures());
    }

    @Test
    void aCaseSubmittedWhileSumsubIsDownReachesItOnceItIsBack() throws Exception {
        sumsub.down(true);
        String email = TestUsers.freshEmail("sumsub-down");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();

        // The user's submission went through; the hand-off failed and waits for a retry.
        EventRepresentation failed = awaitFor("kyc_vendor_failed", caseId);
        assertEquals("vendor_unavailable", failed.getError());
        assertTrue(String.valueOf(TillitEventLog.detail(failed, "reason")).contains("503"), failed.getDetails().toString());
        assertEquals(List.of("pending"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
        Map<String, String> vendor = vendorColumns(caseId);
        assertEquals("queued", vendor.get("vendor_state"));
        assertTrue(Integer.parseInt(vendor.get("vendor_attempts")) >= 1, vendor.toString());
        assertTrue(vendor.get("vendor_error").contains("503"), vendor.toString());
        assertTrue(sumsub.answeredDown() >= 1);
        assertTrue(sumsub.applicantsOf(userId).isEmpty());

        // Back up: the retry task hands it over, once.
        sumsub.down(false);
        SumsubStandIn.Applicant applicant = sumsub.awaitCheckRequested(userId, 90);
        assertEquals(1, sumsub.applicantsOf(userId).size());
        assertEquals(3, applicant.documents.size());
        assertEquals(0, sumsub.refusedSignatures());
        awaitFor("kyc_vendor_submitted", caseId);
        Map<String, String> after = vendorColumns(caseId);
        assertEquals("submitted", after.get("vendor_state"));
        assertEquals(applicant.id, after.get("vendor_applicant_id"));
        assertNull(after.get("vendor_error"));
    }

    @Test
    void operatorsSeeTheVendorSettingsOnTheTillitTab() throws Exception {
        browser.get("http://localhost:8080/admin/master/console/#/tillit/realm-settings/tillit");
        Browser.waitFor(browser, By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(Keys.ENTER);

        WebElement level = Browser.waitFor(browser, By.cssSelector("[data-testid='kycSumsubLevelName']"));
        assertEquals(LEVEL, level.getAttribute("value"));
        assertEquals(sumsub.url(), browser.findElement(By.cssSelector("[data-testid='kycSumsubUrl']")).getAttribute("value"));
        String page = browser.findElement(By.tagName("main")).getText();
        for (String label : List.of("Decided by", "Sumsub API URL", "Sumsub app token", "Sumsub secret key",
                "Sumsub webhook secret key", "Sumsub level name", "Level granted by the vendor",
                "First retry when the vendor is unreachable (seconds)")) {
            assertTrue(page.contains("Identity verification \u00b7 " + label), label + " missing");
        }
        WebElement decidedBy = browser.findElement(By.xpath("//*[contains(text(),'Identity verification \u00b7 Decided by')]"));
        // Instant, whatever the page's CSS says: the scroll is done when the script returns.
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", decidedBy);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Artifacts.dir("screenshots/admin").resolve("tillit-tab-kyc-vendor-1280.png"),
                StandardCopyOption.REPLACE_EXISTING);
        assertTrue(page.contains("sumsub"), "the chosen verifier is shown");
    }

    /** The next unread event {@code tillit_event=value} of this case (other cases' events are passed over). */
    private EventRepresentation awaitFor(String value, String caseId) throws InterruptedException {
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EventRepresentation e = events.await(value);
            if (caseId.equals(TillitEventLog.detail(e, "kyc_case"))) {
                return e;
            }
            others.add(TillitEventLog.detail(e, "kyc_case"));
        }
        throw new AssertionError("no " + value + " event of case " + caseId + "; others: " + others);
    }

    private static Map<String, String> vendorColumns(String caseId) throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
             PreparedStatement q = db.prepareStatement("select vendor, vendor_applicant_id, vendor_state, vendor_attempts,"
                     + " vendor_error from tillit_kyc_case where id = ?")) {
            q.setString(1, caseId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no case " + caseId);
                }
                Map<String, String> out = new HashMap<>();
                out.put("vendor", r.getString(1));
                out.put("vendor_applicant_id", r.getString(2));
                out.put("vendor_state", r.getString(3));
                out.put("vendor_attempts", r.getString(4));
                out.put("vendor_error", r.getString(5));
                return out;
            }
        }
    }



}
