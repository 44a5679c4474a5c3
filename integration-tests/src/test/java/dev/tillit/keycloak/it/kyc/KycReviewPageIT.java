package dev.tillit.keycloak.it.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.KycReviewApi;
import dev.tillit.keycloak.it.support.KycStorage;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.ReviewerPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.WebhookReceiver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The reviewers' web page end to end in Chromium: a {@code kyc-reviewer} signs in through the page
 * (authorization code + PKCE, client {@code tillit-kyc-review}), finds a case submitted through the
 * real verification, sees its details next to its pictures, and approves, rejects or asks for new
 * pictures; the user's email (GreenMail, in the user's language), the signed webhook (a local
 * receiver), the user event and the admin events follow. Someone without the role gets the message
 * and nothing else; the client refuses sign-ins without PKCE, implicit and password grants.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycReviewPageIT {

    static final String PASSWORD = "Review-Passw0rd!";
    static final String HOLDER = "Astrid Berglund";
    static final String SHOTS = "kyc-review-page";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private WebDriver browser;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        browser = Browser.get();
    }

    @Test
    void aReviewerSignsInWithPkceSeesTheCaseAndApproves() throws Exception {
        long start = System.currentTimeMillis();
        String secret = "whsec-page-" + System.nanoTime();
        TillitServerConfig.writeVaultEntry("kyc-webhook-secret", secret);
        String email = TestUsers.freshEmail("page-approve");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "sv");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("page-reviewer");
        String reviewerId = KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);

        try (WebhookReceiver receiver = new WebhookReceiver(secret, 0, 0);
             TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin())
                     .set("kycWebhookUrl", receiver.url()).set("kycWebhookSecret", "${vault.kyc-webhook-secret}")) {
            browser = Browser.get();
            ReviewerPages.open(browser, realm, "en");
            assertEquals("Identity verification review", browser.findElement(By.id("tillit-review-sign-in-title")).getText());
            shots("sign-in-en");
            ReviewerPages.signIn(browser, reviewerEmail, PASSWORD);
            assertEquals("", ReviewerPages.alert(browser));
            ReviewerPages.awaitListed(browser, caseId);
            assertTrue(browser.findElement(By.id("tillit-review-who")).getText().startsWith("Signed in as"));
            shots("queue-en");

            // The token never touched storage: only the sign-in in progress did, and it is gone. (Other pages of
            // this origin, such as Keycloak's consoles in other tests, may keep their own entries in this tab.)
            assertNull(script("return sessionStorage.getItem('tillit-kyc-review-sign-in')"));
            assertEquals(Boolean.FALSE, script("return [localStorage, sessionStorage].some(s => Object.keys(s)"
                    + ".some(k => /eyJ[\\w-]+\\.eyJ/.test(s.getItem(k))))"), "a JWT in web storage");
            assertFalse(browser.getCurrentUrl().contains("code="), browser.getCurrentUrl());

            ReviewerPages.openCase(browser, caseId, 3);
            assertEquals(HOLDER, browser.findElement(By.id("tillit-review-case-title")).getText());
            assertEquals(HOLDER, ReviewerPages.field(browser, "fullName"));
            assertTrue(ReviewerPages.field(browser, "birthDate").startsWith("January 1, 1990"), ReviewerPages.field(browser, "birthDate"));
            assertEquals("Storgatan 1, 111 22 Stockholm", ReviewerPages.field(browser, "address"));
            assertEquals("Sweden (SE)", ReviewerPages.field(browser, "country"));
            assertEquals("National ID card", ReviewerPages.field(browser, "documentType"));
            assertEquals(email, ReviewerPages.field(browser, "email"));
            for (String kind : List.of("front", "back", "selfie")) {
                List<Object> picture = ReviewerPages.picture(browser, kind);
                assertTrue(((String) picture.get(0)).startsWith("blob:"), kind + ": " + picture);
                assertTrue((Integer) picture.get(1) > 100, kind + " did not decode: " + picture);
            }
            shots("case-approve-en");

            ReviewerPages.tick(browser, "level", "2");
            ReviewerPages.confirm(browser);
            assertEquals("Approved at level 2. The user gets an email.", ReviewerPages.notice(browser));
            assertEquals("", ReviewerPages.alert(browser));
            assertFalse(browser.findElement(By.id("tillit-review-decision")).isDisplayed(), "a decided case offers no decision");
            assertEquals("Approved", browser.findElement(By.id("tillit-review-case-status")).getText());
            shots("approved-en");

            // The user: status and level, the event, an email in Swedish.
            UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
            assertEquals(List.of("approved"), user.getAttributes().get("kyc_status"));
            assertEquals(List.of("2"), user.getAttributes().get("kyc_level"));
            EventRepresentation approved = events.await("kyc_approved");
            assertEquals(userId, approved.getUserId());
            assertEquals(caseId, TillitEventLog.detail(approved, "kyc_case"));
            assertEquals("2", TillitEventLog.detail(approved, "kyc_level"));
            assertTrue(Mails.part(Mails.to(mail, email, "Din identitet är verifierad"), "text/plain").contains("verifierat på nivå 2"));

            // The exchange's webhook, signed with the vault's secret.
            WebhookReceiver.Received hook = receiver.await(1).get(0);
            assertTrue(hook.signatureValid(), hook.toString());
            assertEquals(200, hook.answered());
            JsonNode body = JSON.readTree(hook.body());
            assertEquals("kyc_approved", body.get("event").asText());
            assertEquals(caseId, body.get("caseId").asText());
            assertEquals("approved", body.get("status").asText());
            assertEquals(2, body.get("level").asInt());

            // Keycloak saw a sign-in of the page's client, and the reviewer's every look and the decision.
            assertEquals(1, keycloakEvents("LOGIN", reviewerId).size());
            assertEquals(1, keycloakEvents("CODE_TO_TOKEN", reviewerId).size());
            List<String> paths = adminEventsBy(reviewerId, start, "/approve").stream().map(AdminEventRepresentation::getResourcePath).toList();
            for (String path : List.of("", "/documents/front", "/documents/back", "/documents/selfie", "/approve")) {
                assertTrue(paths.contains("tillit-kyc/cases/" + caseId + path), path + " not in " + paths);
            }

            // Signing out ends Keycloak's session too: the page is back at "Sign in".
            browser.findElement(By.id("tillit-review-sign-out")).click();
            Browser.waitFor(browser, By.cssSelector("#tillit-review-sign-in-button:enabled"));
            assertTrue(browser.getCurrentUrl().startsWith(ReviewerPages.url(realm)), browser.getCurrentUrl());
            assertEquals(0, realm.admin().users().get(reviewerId).getUserSessions().size());
        }
    }

    @Test
    void aReviewerRejectsWithReasonsInSwedish() throws Exception {
        String email = TestUsers.freshEmail("page-reject");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("page-reviewer");
        String reviewerId = KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        long start = System.currentTimeMillis();

        browser = Browser.get();
        ReviewerPages.open(browser, realm, "sv");
        assertEquals("Granskning av identitetskontroller", browser.findElement(By.id("tillit-review-sign-in-title")).getText());
        assertEquals("sv", browser.findElement(By.tagName("html")).getAttribute("lang"));
        shots("sign-in-sv");
        ReviewerPages.signIn(browser, reviewerEmail, PASSWORD);
        ReviewerPages.awaitListed(browser, caseId);
        // The reviewer's own choice of Swedish survived Keycloak's sign-in page (kc_locale): the page still speaks it.
        assertEquals("Identitetskontroller", browser.findElement(By.id("tillit-review-queue-title")).getText());
        shots("queue-sv");

        ReviewerPages.openCase(browser, caseId, 3);
        assertEquals("Sverige (SE)", ReviewerPages.field(browser, "country"));
        assertTrue(ReviewerPages.field(browser, "birthDate").startsWith("1 januari 1990"), ReviewerPages.field(browser, "birthDate"));
        ReviewerPages.choose(browser, "reject");
        // No reason: the page says so and sends nothing.
        ReviewerPages.confirm(browser);
        assertEquals("Välj minst ett skäl.", ReviewerPages.formError(browser));
        shots("reject-no-reason-sv");
        ReviewerPages.tick(browser, "reason", "blurry");
        ReviewerPages.tick(browser, "reason", "name_mismatch");
        shots("case-reject-sv");
        ReviewerPages.confirm(browser);
        assertEquals("Avslagen. Användaren får ett mejl med skälen.", ReviewerPages.notice(browser));
        assertEquals("Suddig bild, Namnet stämmer inte", ReviewerPages.field(browser, "reasons"));
        shots("rejected-sv");

        assertEquals(List.of("rejected"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
        assertEquals("blurry,name_mismatch", TillitEventLog.detail(events.await("kyc_rejected"), "kyc_reasons"));
        String text = Mails.part(Mails.to(mail, email, "We could not verify your identity"), "text/plain");
        assertTrue(text.contains("- The picture is blurry.") && text.contains("- The name does not match the document."), text);
        assertTrue(adminEventsBy(reviewerId, start, "/reject").stream()
                .anyMatch(e -> e.getRepresentation().contains("\"status\":\"rejected\"")));

        // Back to the list: decided cases leave the pending queue, and the status filter finds them.
        browser.findElement(By.id("tillit-review-back")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(d -> d.findElement(By.id("tillit-review-queue")).isDisplayed());
        assertFalse(ReviewerPages.listed(browser).contains(caseId));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("tillit-review-status"))).selectByValue("rejected");
        ReviewerPages.awaitListed(browser, caseId);
    }

    @Test
    void aReviewerAsksForNewPicturesAndTheActionComesBack() throws Exception {
        String email = TestUsers.freshEmail("page-resubmit");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("page-reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);

        browser = Browser.get();
        ReviewerPages.open(browser, realm, "en");
        ReviewerPages.signIn(browser, reviewerEmail, PASSWORD);
        // The country filter: Norway leaves the Swedish case out, Sweden (typed in lower case) finds it.
        browser.findElement(By.id("tillit-review-country")).sendKeys("NO");
        browser.findElement(By.id("tillit-review-filter-apply")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(d -> !ReviewerPages.listed(d).contains(caseId)
                        && !d.findElement(By.id("tillit-review-queue-state")).getText().equals("Loading…"));
        browser.findElement(By.id("tillit-review-country")).clear();
        browser.findElement(By.id("tillit-review-country")).sendKeys("se");
        browser.findElement(By.id("tillit-review-filter-apply")).click();
        ReviewerPages.awaitListed(browser, caseId);

        ReviewerPages.openCase(browser, caseId, 3);
        ReviewerPages.choose(browser, "resubmission");
        ReviewerPages.tick(browser, "reason", "glare");
        ReviewerPages.confirm(browser);
        assertEquals("Choose at least one picture to take again.", ReviewerPages.formError(browser));
        ReviewerPages.tick(browser, "document", "front");
        ReviewerPages.tick(browser, "document", "selfie");
        shots("case-resubmit-en");
        ReviewerPages.confirm(browser);
        assertTrue(ReviewerPages.notice(browser).startsWith("New pictures asked for."), ReviewerPages.notice(browser));
        assertEquals("Front of the ID, Selfie", ReviewerPages.field(browser, "resubmitDocuments"));
        shots("resubmitted-en");

        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("resubmission_required"), user.getAttributes().get("kyc_status"));
        assertTrue(user.getRequiredActions().contains("tillit-kyc"), user.getRequiredActions().toString());
        assertEquals("front,selfie", TillitEventLog.detail(events.await("kyc_resubmission_requested"), "kyc_documents"));
        String text = Mails.part(Mails.to(mail, email, "Please send new pictures to verify your identity"), "text/plain");
        assertTrue(text.contains("- The front of your ID") && text.contains("- A selfie") && text.contains("- Light reflects on the document."), text);
    }

    @Test
    void aCaseDecidedMeanwhileIsShownAsItIsNow() throws Exception {
        String email = TestUsers.freshEmail("page-race");
        String userId = KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("page-reviewer");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        String otherEmail = TestUsers.freshEmail("page-other-reviewer");
        KycReviewApi.reviewer(realm, otherEmail, PASSWORD);

        browser = Browser.get();
        ReviewerPages.open(browser, realm, "sv");
        ReviewerPages.signIn(browser, reviewerEmail, PASSWORD);
        ReviewerPages.awaitListed(browser, caseId);
        ReviewerPages.openCase(browser, caseId, 3);
        // Another reviewer approves it first, through the API.
        assertEquals(200, KycReviewApi.of(realm, KycReviewApi.token(realm, otherEmail, PASSWORD))
                .post("/cases/" + caseId + "/approve", Map.of("level", 1)).statusCode());

        ReviewerPages.choose(browser, "reject");
        ReviewerPages.tick(browser, "reason", "glare");
        ReviewerPages.confirm(browser);
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(d -> d.findElement(By.id("tillit-review-case-status")).getText().equals("Godkänd"));
        assertEquals("Identitetskontrollen är redan beslutad, kanske av en annan granskare. Den visas som den är nu.",
                ReviewerPages.alert(browser));
        assertFalse(browser.findElement(By.id("tillit-review-decision")).isDisplayed());
        shots("decided-meanwhile-sv");
        assertEquals(List.of("approved"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
    }

    @Test
    void aReviewersOwnVerificationOffersNoDecision() throws Exception {
        String email = TestUsers.freshEmail("page-self");
        String userId = KycReviewApi.reviewer(realm, email, PASSWORD);
        KycReviewApi.submitCase(realm, browser, userId, email, PASSWORD, KycReviewApi.totpSecret(email), HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();

        browser = Browser.get();
        ReviewerPages.open(browser, realm, "en");
        ReviewerPages.signIn(browser, email, PASSWORD);
        ReviewerPages.awaitListed(browser, caseId);
        ReviewerPages.openCase(browser, caseId, 3);
        assertEquals("This is your own verification: another reviewer must decide it.", ReviewerPages.notice(browser));
        assertFalse(browser.findElement(By.id("tillit-review-decision")).isDisplayed());
        shots("own-case-en");
        assertEquals(List.of("pending"), realm.admin().users().get(userId).toRepresentation().getAttributes().get("kyc_status"));
    }

    @Test
    void someoneWithoutTheRoleIsToldAndSeesNothing() throws Exception {
        String email = TestUsers.freshEmail("page-not-reviewer");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        long start = System.currentTimeMillis();
        for (String language : List.of("en", "sv")) {
            browser = Browser.get();
            ReviewerPages.open(browser, realm, language);
            ReviewerPages.signIn(browser, email, PASSWORD, null);
            assertEquals(language.equals("en")
                    ? "You are not a reviewer. Only accounts with the role kyc-reviewer in this realm can see and decide verifications. Ask an administrator if you should be one."
                    : "Du är inte granskare. Bara konton med rollen kyc-reviewer i den här realmen kan se och besluta om identitetskontroller. Fråga en administratör om du borde vara det.",
                    ReviewerPages.alert(browser));
            assertFalse(browser.findElement(By.id("tillit-review-queue")).isDisplayed());
            assertFalse(browser.findElement(By.id("tillit-review-case")).isDisplayed());
            assertEquals(List.of(), ReviewerPages.listed(browser));
            shots("not-a-reviewer-" + language);
        }
        // It did sign in (Keycloak has no say in who reviews), and the API let nothing through: its admin events
        // are refusals (the queue, once per language), no look at a case.
        assertEquals(2, keycloakEvents("LOGIN", userId).size());
        List<AdminEventRepresentation> audit = realm.admin().getAdminEvents(null, null, null, userId, null, null, null, null, 0, 100)
                .stream().filter(e -> e.getTime() >= start).toList();
        assertEquals(List.of("tillit-kyc/refused", "tillit-kyc/refused"), audit.stream().map(AdminEventRepresentation::getResourcePath).toList());
        assertTrue(audit.stream().allMatch(e -> e.getRepresentation().contains("\"reason\":\"not_a_reviewer\"")),
                audit.stream().map(AdminEventRepresentation::getRepresentation).toList().toString());
    }

    /**
     * A reviewer without a second factor signs in: the page shows no case, says why and offers to set up an
     * authenticator app; after setting it up (and saving the recovery codes) the page signs in once more, which
     * asks the new app's code, and the queue opens. Nothing was shown before the second factor.
     */
    @Test
    void aReviewerWithoutASecondFactorSetsOneUpBeforeSeeingAnything() throws Exception {
        String email = TestUsers.freshEmail("page-no-factor");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        KycReviewApi.grantReviewerRole(realm, userId);
        for (String language : List.of("sv", "en")) {
            browser = Browser.get();
            ReviewerPages.open(browser, realm, language);
            ReviewerPages.signIn(browser, email, PASSWORD, null);
            assertEquals(language.equals("en") ? "Reviewers sign in with a second factor, and your account has none yet."
                    : "Granskare loggar in med en andra faktor, och ditt konto har ingen ännu.", ReviewerPages.alert(browser));
            assertTrue(Browser.waitFor(browser, By.id("tillit-review-set-up")).isDisplayed());
            assertFalse(browser.findElement(By.id("tillit-review-queue")).isDisplayed());
            assertEquals(List.of(), ReviewerPages.listed(browser));
            shots("second-factor-needed-" + language);
        }

        browser.findElement(By.id("tillit-review-set-up")).click();
        Browser.waitFor(browser, By.id("totp"));
        String secret = browser.findElement(By.id("totpSecret")).getDomProperty("value");
        browser.findElement(By.id("totp")).sendKeys(dev.tillit.keycloak.it.support.Totp.unused(secret));
        browser.findElement(By.id("saveTOTPBtn")).click();
        dev.tillit.keycloak.it.support.Passkeys.saveRecoveryCodes(browser);
        // Back on the page, which signs in once more: now the sign-in asks the app's code.
        Browser.waitFor(browser, By.id("otp")).sendKeys(dev.tillit.keycloak.it.support.Totp.unused(secret));
        browser.findElement(By.id("kc-login")).click();
        Browser.waitFor(browser, By.id("tillit-review-queue"));
        assertEquals("", ReviewerPages.alert(browser));
        assertFalse(browser.findElement(By.id("tillit-review-second-factor")).isDisplayed());
    }

    @Test
    void theClientRefusesEverythingButTheCodeFlowWithPkce() throws Exception {
        String auth = realm.getBaseUrl() + "/protocol/openid-connect/auth";
        String redirect = ReviewerPages.url(realm);

        // No code_challenge: Keycloak sends the error back to the page.
        Map<String, String> missing = errorRedirect(auth + "?" + form(Map.of("client_id", ReviewerPages.CLIENT_ID,
                "redirect_uri", redirect, "response_type", "code", "scope", "openid", "state", "s1")));
        assertEquals("invalid_request", missing.get("error"));
        assertEquals("Missing parameter: code_challenge_method", missing.get("error_description"));
        assertNull(missing.get("code"));
        // ... and records it as a failed sign-in of the page's client.
        assertTrue(keycloakEvents("LOGIN_ERROR", null).stream().anyMatch(e -> "invalid_request".equals(e.getError())),
                "no LOGIN_ERROR invalid_request for " + ReviewerPages.CLIENT_ID);

        // PKCE "plain": not the method the client requires.
        Map<String, String> plain = errorRedirect(auth + "?" + form(Map.of("client_id", ReviewerPages.CLIENT_ID,
                "redirect_uri", redirect, "response_type", "code", "scope", "openid", "state", "s2",
                "code_challenge", "a".repeat(43), "code_challenge_method", "plain")));
        assertEquals("invalid_request", plain.get("error"));
        assertTrue(plain.get("error_description").contains("code challenge method"), plain.toString());

        // The implicit flow is off.
        Map<String, String> implicit = errorRedirect(auth + "?" + form(Map.of("client_id", ReviewerPages.CLIENT_ID,
                "redirect_uri", redirect, "response_type", "token", "scope", "openid", "state", "s3", "nonce", "n")));
        assertEquals("unauthorized_client", implicit.get("error"));

        // Another redirect target: Keycloak's own error page, no redirect at all.
        HttpResponse<String> elsewhere = get(auth + "?" + form(Map.of("client_id", ReviewerPages.CLIENT_ID,
                "redirect_uri", "http://localhost:3000/callback", "response_type", "code", "scope", "openid",
                "code_challenge", "a".repeat(43), "code_challenge_method", "S256")));
        assertEquals(400, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("Invalid parameter: redirect_uri"), elsewhere.body());

        // No password grant for the page's client, not even for a reviewer.
        String reviewerEmail = TestUsers.freshEmail("page-grant");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        HttpResponse<String> grant = HTTP.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", ReviewerPages.CLIENT_ID,
                        "username", reviewerEmail, "password", PASSWORD)))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(grant.statusCode() == 400 || grant.statusCode() == 401, grant.statusCode() + " " + grant.body());
        assertEquals("unauthorized_client", JSON.readTree(grant.body()).get("error").asText());

        // As the realm declares it: public, code flow only, S256, the page its only redirect, and its home (the link
        // in the admin console's client list and the account console).
        ClientRepresentation client = realm.admin().clients().findByClientId(ReviewerPages.CLIENT_ID).get(0);
        assertTrue(client.isPublicClient());
        assertFalse(client.isImplicitFlowEnabled());
        assertFalse(client.isDirectAccessGrantsEnabled());
        assertEquals("S256", client.getAttributes().get("pkce.code.challenge.method"));
        assertEquals(List.of("/realms/tillit/tillit-kyc-review/"), client.getRedirectUris());
        assertEquals("/realms/tillit/tillit-kyc-review/", client.getBaseUrl());
    }

    @Test
    void thePageIsStrictAboutWhatItLoadsAndWhoFramesIt() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(ReviewerPages.url(realm)))
                .header("Accept-Language", "sv-SE,sv;q=0.9").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && csp.contains("img-src 'self' blob:")
                && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        // The browser's language when nothing else is asked for; no inline script (the JSON block is data).
        assertTrue(page.body().contains("<html lang=\"sv\">"), page.body().substring(0, 200));
        List<String> scripts = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<script([^>]*)>").matcher(page.body());
        while (m.find()) {
            scripts.add(m.group(1).trim());
        }
        assertEquals(2, scripts.size(), scripts.toString());
        assertTrue(scripts.stream().allMatch(s -> s.contains("src=") || s.contains("type=\"application/json\"")), scripts.toString());

        // One address: without the slash, a redirect to the page (the client's only redirect URI).
        HttpResponse<String> bare = get(realm.getBaseUrl() + "/tillit-kyc-review");
        assertEquals(303, bare.statusCode());
        assertEquals(ReviewerPages.url(realm), bare.headers().firstValue("Location").orElse(""));

        // A realm without the page's client (here: disabled for a moment): the page says it is not set up.
        ClientRepresentation client = realm.admin().clients().findByClientId(ReviewerPages.CLIENT_ID).get(0);
        client.setEnabled(false);
        realm.admin().clients().get(client.getId()).update(client);
        try {
            browser.get(ReviewerPages.url(realm) + "?kc_locale=sv");
            assertEquals("Sidan är inte konfigurerad för den här realmen: klienten tillit-kyc-review saknas eller är avstängd.",
                    Browser.waitFor(browser, By.id("tillit-review-not-ready")).getText());
            assertTrue(browser.findElements(By.id("tillit-review-sign-in-button")).isEmpty());
            shots("not-set-up-sv");
        } finally {
            client.setEnabled(true);
            realm.admin().clients().get(client.getId()).update(client);
        }

        // Framed by another page: the browser refuses, nothing of the page shows.
        // The frame's load event fires once the browser has decided (the page, or its own error
        // document when the page refuses to be framed): only then is "absent" a finding.
        browser.get("data:text/html,<iframe id=f onload=\"document.title='framed'\" src='" + ReviewerPages.url(realm) + "'></iframe>");
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.titleIs("framed"));
        browser.switchTo().frame("f");
        assertTrue(browser.findElements(By.id("tillit-review-sign-in")).isEmpty(), "the page rendered inside a frame");
        browser.switchTo().defaultContent();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Desktop and phone width, from the top of the page (a decision leaves it scrolled down). */
    private void shots(String name) {
        script("window.scrollTo(0, 0)");
        Browser.screenshots(browser, SHOTS, name);
    }

    private Object script(String js) {
        Object value = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(js);
        return value instanceof Number n ? n.longValue() : value;
    }

    private List<EventRepresentation> keycloakEvents(String type, String userId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<EventRepresentation> found = List.of();
        while (System.nanoTime() < deadline) {
            found = realm.admin().getEvents(List.of(type), ReviewerPages.CLIENT_ID, userId, null, null, null, 0, 100);
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(250);
        }
        return found;
    }

    private List<AdminEventRepresentation> adminEventsBy(String reviewerId, long since, String decisionSuffix) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<AdminEventRepresentation> found = List.of();
        while (System.nanoTime() < deadline) {
            found = realm.admin().getAdminEvents(null, null, null, reviewerId, null, null, null, null, 0, 100).stream()
                    .filter(e -> e.getTime() >= since).toList();
            if (found.stream().anyMatch(e -> e.getResourcePath().endsWith(decisionSuffix))) {
                return found;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + decisionSuffix + " among the reviewer's admin events: "
                + found.stream().map(AdminEventRepresentation::getResourcePath).toList());
    }

    private static String form(Map<String, String> fields) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The parameters Keycloak redirected back to the page with (query or fragment). */
    private static Map<String, String> errorRedirect(String url) throws Exception {
        HttpResponse<String> response = get(url);
        assertEquals(302, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("http") && location.contains("/tillit-kyc-review/"), location);
        String params = location.contains("#") ? location.substring(location.indexOf('#') + 1)
                : location.substring(location.indexOf('?') + 1);
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : params.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

}
