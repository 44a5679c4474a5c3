package dev.tillit.keycloak.it.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.IdImages;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.KycStorage;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Identity verification ({@code tillit-kyc}) on the real server: the whole journey in Chromium in
 * both languages, what lands in PostgreSQL (ciphertext, the checked picture without its GPS
 * position), and the hostile inputs: forged countries, files that are not photos, bombs, forged or
 * replayed uploads, a stale form from another step.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycIT {

    static final String PASSWORD = "Verify-Passw0rd!";
    static final String HOLDER = "Anna Svensson";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private WebDriver browser;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        browser = Browser.get();
    }

    @AfterEach
    void tearDown() {
        realm.admin().attackDetection().clearAllBruteForce();
    }

    @ParameterizedTest
    @CsvSource({"en, Verify your identity, 'Thank you, we are reviewing it', true",
            "sv, Verifiera din identitet, 'Tack, vi granskar den', false"})
    void theWholeVerificationEndsUnderReviewWithEverythingEncrypted(String locale, String overviewTitle, String submittedTitle,
                                                                    boolean camera)
            throws Exception {
        String email = TestUsers.freshEmail("kyc-" + locale);
        String userId = userWithAction(email);
        String shots = "kyc-" + locale;

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, PASSWORD);
            assertEquals(overviewTitle, KycPages.title(browser));
            Browser.screenshots(browser, shots, "1-overview");
            KycPages.start(browser);

            assertEquals("country", KycPages.step(browser));
            Browser.screenshots(browser, shots, "2-country");
            KycPages.chooseCountry(browser, "SE");

            assertEquals("document", KycPages.step(browser));
            Browser.screenshots(browser, shots, "3-document");
            KycPages.chooseDocument(browser, "id_card", "SE");

            assertEquals("details", KycPages.step(browser));
            // Too young first: a clear message, nothing stored.
            KycPages.enterDetails(browser, HOLDER, java.time.LocalDate.now().minusYears(17).toString(), "Storgatan 1", "111 22", "Stockholm");
            assertEquals("details", KycPages.step(browser));
            assertTrue(browser.findElement(By.id("input-error-birthDate")).isDisplayed());
            Browser.screenshots(browser, shots, "4-details-too-young");
            KycPages.enterDetails(browser, HOLDER, "1990-01-01", "Storgatan 1", "111 22", "Stockholm");

            assertEquals("front", KycPages.step(browser));
            Browser.screenshots(browser, shots, "5-front");
            KycPages.upload(browser, IdImages.frontWithGps(HOLDER));
            assertEquals("back", KycPages.step(browser));
            Browser.screenshots(browser, shots, "6-back");
            KycPages.upload(browser, IdImages.back());
            assertEquals("selfie", KycPages.step(browser));
            Browser.screenshots(browser, shots, "7-selfie");
            if (camera) {
                KycPages.cameraSelfie(browser);
            } else {
                KycPages.upload(browser, IdImages.selfie());
            }

            assertEquals("review", KycPages.step(browser));
            assertTrue(browser.findElement(By.cssSelector(".tillit-kyc-summary")).getText().contains(HOLDER));
            Browser.screenshots(browser, shots, "8-review");
            KycPages.press(browser, "tillit-kyc-submit");

            assertEquals(submittedTitle, KycPages.title(browser));
            Browser.screenshots(browser, shots, "9-submitted");
            KycPages.press(browser, "tillit-kyc-continue");

            JsonNode tokens = client.awaitTokens();
            assertEquals("pending", DemoWebClient.claims(tokens.get("access_token").asText()).get("kyc_status").asText());
        }

        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals(List.of("pending"), user.getAttributes().get("kyc_status"));
        assertFalse(user.getRequiredActions().contains(KycPages.ACTION));
        EventRepresentation submitted = events.await("kyc_submitted");
        assertEquals(userId, submitted.getUserId());

        List<KycStorage.Case> cases = KycStorage.casesOf(realm.getId(), userId);
        assertEquals(1, cases.size());
        KycStorage.Case stored = cases.get(0);
        assertEquals("pending", stored.status());
        assertEquals(submitted.getDetails().get("kyc_case"), stored.id());
        assertEquals("SE", stored.country());
        assertEquals("id_card", stored.documentType());
        assertEquals(1, stored.attempt());
        assertEquals(TillitServerConfig.VAULT_KYC_KEY, stored.keyId());

        // Personal details: not readable at rest, readable with the vault key.
        assertFalse(KycStorage.contains(stored.details(), "Svensson".getBytes(StandardCharsets.UTF_8)), "name in clear text");
        String details = new String(KycStorage.open(stored.details(), realm.getId(), stored.id(), "details"), StandardCharsets.UTF_8);
        assertTrue(details.contains("\"fullName\":\"" + HOLDER + "\"") && details.contains("1990-01-01"), details);

        Map<String, KycStorage.Document> documents = KycStorage.documentsOf(stored.id());
        assertEquals(camera ? java.util.Set.of("front", "back", "selfie", "selfie_left", "selfie_right")
                : java.util.Set.of("front", "back", "selfie"), documents.keySet());
        KycStorage.Document front = documents.get("front");
        // At rest: not a JPEG, no trace of the GPS position.
        assertFalse((front.content()[0] & 0xFF) == 0xFF && (front.content()[1] & 0xFF) == 0xD8, "plaintext JPEG at rest");
        byte[] picture = KycStorage.open(front.content(), realm.getId(), stored.id(), "front");
        assertEquals(front.size(), picture.length);
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(picture)), front.sha256());
        assertFalse(KycStorage.contains(picture, "Exif".getBytes(StandardCharsets.US_ASCII)), "EXIF kept");
        assertFalse(KycStorage.contains(picture, IdImages.GPS_MARKER.getBytes(StandardCharsets.US_ASCII)), "GPS position kept");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(picture));
        assertEquals(1600, decoded.getWidth());
        // Bound to its row: the front's bytes do not open as the back.
        assertThrowsAny(() -> KycStorage.open(front.content(), realm.getId(), stored.id(), "back"));
    }

    @Test
    void theTablesAreOnPostgresqlWithBinaryContent() throws Exception {
        Map<String, String> documents = KycStorage.columns("tillit_kyc_document");
        assertEquals("bytea", documents.get("content"), documents.toString());
        Map<String, String> cases = KycStorage.columns("tillit_kyc_case");
        assertEquals("bytea", cases.get("details"), cases.toString());
        assertTrue(cases.keySet().containsAll(List.of("status", "country", "document_type", "attempt", "submitted_at")), cases.toString());
    }

    @Test
    void countriesAndRegionsThatAreNotServedAreRefused() throws Exception {
        String email = TestUsers.freshEmail("kyc-country");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            KycPages.start(browser);
            List<String> offered = KycPages.offeredCountries(browser);
            assertTrue(offered.contains("SE") && offered.contains("CA"), "offered: " + offered.size());
            for (String notServed : List.of("US", "IR", "KP", "CU", "SY", "SD", "SG", "HK")) {
                assertFalse(offered.contains(notServed), notServed + " offered");
            }

            // A hand-edited form posting the USA anyway.
            KycPages.forgeCountry(browser, "US");
            assertEquals("country", KycPages.step(browser));
            assertEquals("We are sorry: we cannot serve residents of that country or region.",
                    browser.findElement(By.id("input-error-country")).getText());
            assertEquals("US", TillitEventLog.detail(events.await("kyc_country_refused"), "kyc_country"));
            assertEquals(null, KycStorage.casesOf(realm.getId(), userId).get(0).country());

            // Canada is served, except Ontario: the user is asked.
            KycPages.chooseCountry(browser, "CA");
            assertEquals("region", KycPages.step(browser));
            Browser.screenshots(browser, "kyc-en", "2b-region");
            KycPages.answerRegion(browser, "CA-ON");
            assertEquals("country", KycPages.step(browser));
            assertEquals("CA-ON", TillitEventLog.detail(events.await("kyc_country_refused"), "kyc_country"));
            assertEquals(null, KycStorage.casesOf(realm.getId(), userId).get(0).country());

            KycPages.chooseCountry(browser, "CA");
            KycPages.answerRegion(browser, "-");
            assertEquals("document", KycPages.step(browser));
            // An ID card from another country than the one of residence is refused; a passport is not.
            KycPages.chooseDocument(browser, "id_card", "SE");
            assertEquals("document", KycPages.step(browser));
            assertTrue(browser.findElement(By.id("input-error-documentCountry")).isDisplayed());
            KycPages.chooseDocument(browser, "passport", "SE");
            assertEquals("details", KycPages.step(browser));
        }
        assertEquals("CA", KycStorage.casesOf(realm.getId(), userId).get(0).country());
    }

    @Test
    void picturesThatAreNotGoodPhotosAreRefusedWithAMessageAndNothingStored() throws Exception {
        String email = TestUsers.freshEmail("kyc-hostile");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            assertEquals("That file is not a photo. Use a JPEG or PNG picture.", KycPages.uploadRefused(browser, IdImages.textNamedJpg()));
            Browser.screenshots(browser, "kyc-en", "5b-front-not-a-photo");
            assertEquals("That picture is damaged or incomplete. Take a new one.", KycPages.uploadRefused(browser, IdImages.truncatedJpeg()));
            assertEquals("That picture has too many pixels. Take a normal photo or a screenshot of it.",
                    KycPages.uploadRefused(browser, IdImages.pngBomb()));
            assertEquals("That picture is too dark. Use more light and try again.", KycPages.uploadRefused(browser, IdImages.dark()));
            assertEquals("That picture is too blurry to read. Hold still, focus on the text and try again.",
                    KycPages.uploadRefused(browser, IdImages.blurry()));
            // 20 MB: the page says so without sending it...
            assertEquals("That picture is too large. The limit is 10 MB.", KycPages.uploadRefused(browser, IdImages.twentyMegabytes()));
            // ...and the server refuses it when a client sends it anyway: the HTTP layer's own 10 MB cap...
            KycPages.UploadTarget target = KycPages.uploadTarget(browser);
            HttpResponse<String> tooLarge = KycPages.post(target, KycPages.cookies(browser), target.token(),
                    Files.readAllBytes(IdImages.twentyMegabytes()));
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            // ...and ours, counted while the body streams in, when the realm allows less (here 1 MB).
            try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin()).set("kycMaxUploadMegabytes", "1")) {
                byte[] overOneMegabyte = java.util.Arrays.copyOf(Files.readAllBytes(IdImages.twentyMegabytes()), 1_500_000);
                HttpResponse<String> overLimit = KycPages.post(target, KycPages.cookies(browser), target.token(), overOneMegabyte);
                assertEquals(413, overLimit.statusCode(), overLimit.body());
                assertTrue(overLimit.body().contains("That picture is too large"), overLimit.body());
            }
            assertEquals("front", KycPages.step(browser));
            for (String problem : List.of("not_an_image", "damaged", "too_many_pixels", "too_dark", "too_blurry", "too_large_file")) {
                assertEquals(problem, events.awaitType("CUSTOM_REQUIRED_ACTION_ERROR", "kyc_document", "front").getError());
            }
        }
        assertEquals(Map.of(), KycStorage.documentsOf(KycStorage.casesOf(realm.getId(), userId).get(0).id()));
    }

    @Test
    void uploadsCannotBeForgedReplayedOrAimedAtAnotherAccount() throws Exception {
        byte[] photo = Files.readAllBytes(IdImages.front(HOLDER));
        String victimEmail = TestUsers.freshEmail("kyc-victim");
        String victimId = userWithAction(victimEmail);
        KycPages.UploadTarget victimTarget;
        String victimCookies;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, victimEmail, "en");
            victimTarget = KycPages.uploadTarget(browser);
            victimCookies = KycPages.cookies(browser);
        }
        // No session, or the session without the page's token, or a wrong token: refused.
        assertEquals(403, KycPages.post(victimTarget, null, victimTarget.token(), photo).statusCode());
        assertEquals(403, KycPages.post(victimTarget, victimCookies, null, photo).statusCode());
        assertEquals(403, KycPages.post(victimTarget, victimCookies, victimTarget.token() + "x", photo).statusCode());

        // The attacker, in their own verification, holds their own token: it does not open the victim's case.
        browser = Browser.get();
        String attackerEmail = TestUsers.freshEmail("kyc-attacker");
        userWithAction(attackerEmail);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, attackerEmail, "en");
            KycPages.UploadTarget own = KycPages.uploadTarget(browser);
            assertEquals(403, KycPages.post(victimTarget, KycPages.cookies(browser), own.token(), photo).statusCode());
            assertEquals(403, KycPages.post(own, KycPages.cookies(browser), victimTarget.token(), photo).statusCode());
        }
        String victimCase = KycStorage.casesOf(realm.getId(), victimId).get(0).id();
        assertEquals(Map.of(), KycStorage.documentsOf(victimCase));

        // The victim's own upload works once; replayed, it is refused and nothing changes.
        HttpResponse<String> first = KycPages.post(victimTarget, victimCookies, victimTarget.token(), photo);
        assertEquals(200, first.statusCode(), first.body());
        String sha = KycStorage.documentsOf(victimCase).get("front").sha256();
        byte[] other = Files.readAllBytes(IdImages.selfie());
        assertEquals(403, KycPages.post(victimTarget, victimCookies, victimTarget.token(), other).statusCode());
        assertEquals(sha, KycStorage.documentsOf(victimCase).get("front").sha256());
    }

    @Test
    void aRefusedPictureSpendsItsTokenAndTheAnswerBringsTheNext() throws Exception {
        String email = TestUsers.freshEmail("kyc-retry");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            // In the page: too dark, then a good one with the token the refusal brought.
            assertEquals("That picture is too dark. Use more light and try again.", KycPages.uploadRefused(browser, IdImages.dark()));
            KycPages.upload(browser, IdImages.front(HOLDER));
            assertEquals("back", KycPages.step(browser));

            // Outside the page: the refused request's token is spent, and only the one in its answer works.
            KycPages.UploadTarget target = KycPages.uploadTarget(browser);
            String cookies = KycPages.cookies(browser);
            HttpResponse<String> dark = KycPages.post(target, cookies, target.token(), Files.readAllBytes(IdImages.dark()));
            assertEquals(422, dark.statusCode(), dark.body());
            String next = KycPages.nextToken(dark);
            assertNotNull(next, dark.body());
            assertFalse(next.equals(target.token()));
            HttpResponse<String> reused = KycPages.post(target, cookies, target.token(), Files.readAllBytes(IdImages.back()));
            assertEquals(403, reused.statusCode(), reused.body());
            assertEquals(Set.of("front"), KycStorage.documentsOf(KycStorage.casesOf(realm.getId(), userId).get(0).id()).keySet());
            HttpResponse<String> fresh = KycPages.post(target, cookies, next, Files.readAllBytes(IdImages.back()));
            assertEquals(200, fresh.statusCode(), fresh.body());
        }
        assertEquals(Set.of("front", "back"), KycStorage.documentsOf(KycStorage.casesOf(realm.getId(), userId).get(0).id()).keySet());
    }

    @Test
    void fourParallelUploadsWithOneTokenStoreOnePicture() throws Exception {
        String email = TestUsers.freshEmail("kyc-race");
        String userId = userWithAction(email);
        KycPages.UploadTarget target;
        String cookies;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            target = KycPages.uploadTarget(browser);
            cookies = KycPages.cookies(browser);
        }
        List<byte[]> pictures = List.of(Files.readAllBytes(IdImages.front(HOLDER)), Files.readAllBytes(IdImages.front("Bo Ek")),
                Files.readAllBytes(IdImages.front("Li Wu")), Files.readAllBytes(IdImages.front("Ola Ny")));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<Integer> statuses;
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (byte[] picture : pictures) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return KycPages.post(target, cookies, target.token(), picture);
                }));
            }
            go.countDown();
            statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<HttpResponse<String>> answer : sent) {
                statuses.add(answer.get().statusCode());
            }
        } finally {
            pool.shutdownNow();
        }
        java.util.Collections.sort(statuses);
        assertEquals(List.of(200, 403, 403, 403), statuses);
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        assertEquals(1, KycStorage.documentsOf(caseId).size());
        assertEquals(Set.of("front"), KycStorage.documentsOf(caseId).keySet());
    }

    @Test
    void aLargeProgressiveJpegIsRefusedWithAMessageAndACmykJpegIsAccepted() throws Exception {
        String email = TestUsers.freshEmail("kyc-encodings");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            assertEquals("That picture is saved in a way that takes too long to check at this size (for example a progressive JPEG"
                            + " over 10 megapixels). Take a new photo with your camera, or save it as a standard JPEG, and try again.",
                    KycPages.uploadRefused(browser, IdImages.largeProgressive()));
            Browser.screenshots(browser, "kyc-en", "5d-front-progressive");
            assertEquals("too_costly", events.awaitType("CUSTOM_REQUIRED_ACTION_ERROR", "kyc_document", "front").getError());
            KycPages.upload(browser, IdImages.cmykFront(HOLDER));
            assertEquals("back", KycPages.step(browser));
        }
        KycStorage.Case stored = KycStorage.casesOf(realm.getId(), userId).get(0);
        KycStorage.Document front = KycStorage.documentsOf(stored.id()).get("front");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(KycStorage.open(front.content(), realm.getId(), stored.id(), "front")));
        assertEquals(1600, picture.getWidth());
        // The card's light paper (the CMYK inks converted back), not a negative or a black field.
        int paper = picture.getRGB(800, 150);
        assertTrue(((paper >> 16) & 0xFF) > 190 && ((paper >> 8) & 0xFF) > 190 && (paper & 0xFF) > 190, Integer.toHexString(paper));
    }

    @Test
    void beyondThePictureChecksOfTheNodeAnUploadIsAnswered503WithRetryAfterAndANewToken() throws Exception {
        // The suite's server checks one picture at a time (TillitServerConfig). The computer and the
        // phone each hold a token for this draft and send the heaviest picture allowed at the same moment.
        byte[] heavy = Files.readAllBytes(IdImages.heavyPhoto());
        String email = TestUsers.freshEmail("kyc-busy");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            KycPages.UploadTarget computer = KycPages.uploadTarget(browser);
            String computerCookies = KycPages.cookies(browser);
            String link = KycPages.phoneLinkFromQr(browser);
            org.openqa.selenium.chrome.ChromeDriver phoneBrowser = Browser.newSession();
            KycPages.UploadTarget phone;
            String phoneCookies;
            try {
                phoneBrowser.get(link);
                assertEquals("front", KycPages.phoneState(phoneBrowser));
                phone = KycPages.uploadTarget(phoneBrowser);
                phoneCookies = KycPages.cookies(phoneBrowser);
            } finally {
                phoneBrowser.quit();
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            HttpResponse<String> a;
            HttpResponse<String> b;
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var fromComputer = pool.submit(() -> {
                    go.await();
                    return KycPages.post(computer, computerCookies, computer.token(), heavy);
                });
                var fromPhone = pool.submit(() -> {
                    go.await();
                    return KycPages.post(phone, phoneCookies, phone.token(), heavy);
                });
                go.countDown();
                a = fromComputer.get();
                b = fromPhone.get();
            } finally {
                pool.shutdownNow();
            }
            List<Integer> statuses = new java.util.ArrayList<>(List.of(a.statusCode(), b.statusCode()));
            java.util.Collections.sort(statuses);
            assertEquals(List.of(200, 503), statuses, a.body() + " / " + b.body());
            boolean computerBusy = a.statusCode() == 503;
            HttpResponse<String> busy = computerBusy ? a : b;
            assertEquals(java.util.Optional.of("2"), busy.headers().firstValue("Retry-After"));
            assertTrue(busy.body().contains("Many pictures are being checked right now. Wait a few seconds and try again."), busy.body());
            // The busy answer spent its token and brought the next one, which works once the check is free.
            String next = KycPages.nextToken(busy);
            assertNotNull(next, busy.body());
            HttpResponse<String> retried = KycPages.post(computerBusy ? computer : phone, computerBusy ? computerCookies : phoneCookies,
                    next, Files.readAllBytes(IdImages.back()));
            assertEquals(200, retried.statusCode(), retried.body());
            // The computer's screen is for the front (replaced); the phone's is for the step now due, the back.
            assertEquals(computerBusy ? Set.of("front") : Set.of("front", "back"),
                    KycStorage.documentsOf(KycStorage.casesOf(realm.getId(), userId).get(0).id()).keySet());
        }
    }

    @Test
    void aPhoneAddsThePicturesThroughTheQrCodeOnceAndGetsNothingElse() throws Exception {
        String email = TestUsers.freshEmail("kyc-phone");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "sv");
            String link = KycPages.phoneLinkFromQr(browser);
            assertEquals(browser.findElement(By.id("tillit-kyc-qr")).getAttribute("data-link"), link);
            Browser.screenshots(browser, "kyc-sv", "5c-front-phone-offer");

            org.openqa.selenium.chrome.ChromeDriver phone = Browser.newSession();
            try {
                phone.get(link);
                assertEquals("front", KycPages.phoneState(phone));
                assertEquals("Foto av din id-handling", KycPages.title(phone), "the phone speaks the computer's language");
                assertFalse(phone.getCurrentUrl().contains(link.substring(link.lastIndexOf('/') + 1, link.indexOf('?'))),
                        "the link's secret stays in the address bar");
                Browser.screenshots(phone, "kyc-sv", "phone-1-front");
                assertEquals(userId, events.await("kyc_phone_link_opened").getUserId());

                KycPages.phoneUpload(phone, IdImages.front(HOLDER));
                assertEquals("back", KycPages.phoneState(phone));
                KycPages.awaitStep(browser, "back");          // the computer follows
                KycPages.phoneUpload(phone, IdImages.back());
                KycPages.phoneUpload(phone, IdImages.selfie());
                assertEquals("done", KycPages.phoneState(phone));
                Browser.screenshots(phone, "kyc-sv", "phone-2-done");
                KycPages.awaitStep(browser, "review");

                // The phone holds no sign-in: the account console asks it to sign in.
                phone.get(realm.getBaseUrl() + "/account");
                Browser.waitFor(phone, By.id("username"));
            } finally {
                phone.quit();
            }

            // A second device with the same link: used. A made-up link: expired. Neither adds anything.
            org.openqa.selenium.chrome.ChromeDriver other = Browser.newSession();
            try {
                other.get(link);
                assertEquals("used", KycPages.phoneState(other));
                Browser.screenshots(other, "kyc-sv", "phone-3-used");
                other.get(link.substring(0, link.lastIndexOf('/') + 1) + "made-up-link");
                assertEquals("expired", KycPages.phoneState(other));
            } finally {
                other.quit();
            }
            KycPages.press(browser, "tillit-kyc-submit");
            KycPages.press(browser, "tillit-kyc-continue");
            assertNotNull(client.awaitTokens().get("access_token"));
        }
        KycStorage.Case stored = KycStorage.casesOf(realm.getId(), userId).get(0);
        assertEquals("pending", stored.status());
        assertEquals(java.util.Set.of("front", "back", "selfie"), KycStorage.documentsOf(stored.id()).keySet());
    }

    @Test
    void aFormFromAnotherStepChangesNothing() throws Exception {
        String email = TestUsers.freshEmail("kyc-stale");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            KycPages.start(browser);
            KycPages.chooseCountry(browser, "SE");
            assertEquals("document", KycPages.step(browser));
            // A second tab still showing the country step posts it again with another country.
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "var f = document.getElementById('tillit-kyc-form'); f.querySelector('[name=step]').value = 'country';"
                            + " var c = document.createElement('input'); c.type = 'hidden'; c.name = 'country'; c.value = 'NO';"
                            + " f.appendChild(c);");
            KycPages.press(browser, "tillit-kyc-next");
            assertEquals("document", KycPages.step(browser));
        }
        assertEquals("SE", KycStorage.casesOf(realm.getId(), userId).get(0).country());
    }

    @Test
    void submissionsPerDayAreLimited() throws Exception {
        String email = TestUsers.freshEmail("kyc-limit");
        String userId = userWithAction(email);
        try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin()).set("kycSubmissionsPerDay", "1")) {
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                toFrontStep(client, email, "en");
                uploadAll();
                KycPages.press(browser, "tillit-kyc-submit");
                KycPages.press(browser, "tillit-kyc-continue");
                client.awaitTokens();
            }
            // Rejected by a reviewer: the user starts again the same day and reaches the limit.
            KycStorage.decide(KycStorage.casesOf(realm.getId(), userId).get(0).id(), "rejected");
            UserRepresentation rep = realm.admin().users().get(userId).toRepresentation();
            rep.setRequiredActions(List.of(KycPages.ACTION));
            realm.admin().users().get(userId).update(rep);
            browser = Browser.get();
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                toFrontStep(client, email, "en");
                uploadAll();
                KycPages.press(browser, "tillit-kyc-submit");
                assertEquals("review", KycPages.step(browser));
                assertEquals("You have submitted too many times today. Try again in 24 hours.",
                        Browser.textOf(browser, By.className("kc-feedback-text")).trim());
            }
        }
        List<KycStorage.Case> cases = KycStorage.casesOf(realm.getId(), userId);
        assertEquals(List.of("rejected", "draft"), cases.stream().map(KycStorage.Case::status).toList());
    }

    private void uploadAll() {
        KycPages.upload(browser, IdImages.front(HOLDER));
        KycPages.upload(browser, IdImages.back());
        KycPages.upload(browser, IdImages.selfie());
        assertEquals("review", KycPages.step(browser));
    }

    @Test
    void aVerificationSentBackAsksOnlyForTheNamedPicturesAndKeepsTheRest() throws Exception {
        String email = TestUsers.freshEmail("kyc-resubmit");
        String userId = dev.tillit.keycloak.it.support.KycReviewApi.submittedCase(realm, browser, email, PASSWORD, HOLDER, "en");
        KycStorage.Case first = KycStorage.casesOf(realm.getId(), userId).get(0);
        Map<String, KycStorage.Document> firstPictures = KycStorage.documentsOf(first.id());
        String reviewerEmail = TestUsers.freshEmail("kyc-resubmit-reviewer");
        dev.tillit.keycloak.it.support.KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        var api = dev.tillit.keycloak.it.support.KycReviewApi.of(realm,
                dev.tillit.keycloak.it.support.KycReviewApi.token(realm, reviewerEmail, PASSWORD));
        assertEquals(200, api.post("/cases/" + first.id() + "/resubmission",
                Map.of("reasons", List.of("glare"), "documents", List.of("front"))).statusCode());

        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            // Straight to the picture asked for, with the reviewer's reason.
            assertEquals("front", KycPages.step(browser));
            assertTrue(browser.findElement(By.id("tillit-kyc-resubmit")).getText().contains("Light reflected on the document."));
            Browser.screenshots(browser, "kyc-en", "10-resubmission-front");
            KycPages.upload(browser, IdImages.front(HOLDER));
            // The back and the selfie were kept: the next screen is the check.
            assertEquals("review", KycPages.step(browser));
            KycPages.press(browser, "tillit-kyc-submit");
            KycPages.press(browser, "tillit-kyc-continue");
            client.awaitTokens();
        }
        List<KycStorage.Case> cases = KycStorage.casesOf(realm.getId(), userId);
        assertEquals(List.of("resubmission_required", "pending"), cases.stream().map(KycStorage.Case::status).toList());
        KycStorage.Case second = cases.get(1);
        assertEquals(2, second.attempt());
        Map<String, KycStorage.Document> secondPictures = KycStorage.documentsOf(second.id());
        assertEquals(firstPictures.keySet(), secondPictures.keySet());
        assertEquals(firstPictures.get("back").sha256(), secondPictures.get("back").sha256(), "the back is kept");
        assertEquals(firstPictures.get("selfie").sha256(), secondPictures.get("selfie").sha256(), "the selfie is kept");
        // Kept pictures are sealed again for the new case: their bytes open under its id.
        byte[] back = KycStorage.open(secondPictures.get("back").content(), realm.getId(), second.id(), "back");
        assertEquals(secondPictures.get("back").size(), back.length);
        String details = new String(KycStorage.open(second.details(), realm.getId(), second.id(), "details"), StandardCharsets.UTF_8);
        assertTrue(details.contains(HOLDER), details);
    }

    @Test
    void deletingTheAccountDeletesItsUnfinishedVerification() throws Exception {
        String email = TestUsers.freshEmail("kyc-delete");
        String userId = userWithAction(email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            toFrontStep(client, email, "en");
            KycPages.upload(browser, IdImages.front(HOLDER));
            assertEquals("back", KycPages.step(browser));
        }
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        assertEquals(1, KycStorage.documentsOf(caseId).size());

        realm.admin().users().get(userId).remove();

        assertEquals(List.of(), KycStorage.casesOf(realm.getId(), userId));
        assertEquals(Map.of(), KycStorage.documentsOf(caseId));
    }

    @Test
    void anApplicationCanAskForItAndTheUserCanPostponeIt() throws Exception {
        String email = TestUsers.freshEmail("kyc-aia");
        TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en") + "&kc_action=" + KycPages.ACTION, email, PASSWORD);
            assertEquals("overview", KycPages.step(browser));
            KycPages.press(browser, "cancelTOTPBtn");
            assertNotNull(client.awaitTokens().get("access_token"));
        }
    }

    private String userWithAction(String email) {
        String id = TestUsers.create(realm, email, null, PASSWORD);
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(KycPages.ACTION));
        realm.admin().users().get(id).update(rep);
        return id;
    }

    private void toFrontStep(DemoWebClient client, String email, String locale) {
        SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, PASSWORD);
        KycPages.start(browser);
        KycPages.chooseCountry(browser, "SE");
        KycPages.chooseDocument(browser, "id_card", "SE");
        KycPages.enterDetails(browser, HOLDER, "1990-01-01", "Storgatan 1", "111 22", "Stockholm");
        assertEquals("front", KycPages.step(browser));
    }

    private static void assertThrowsAny(org.junit.jupiter.api.function.Executable executable) {
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, executable);
    }
}
