package dev.tillit.keycloak.it.kyc;

import static dev.tillit.keycloak.it.support.KycPages.cases;
import static dev.tillit.keycloak.it.support.KycPages.documents;
import static dev.tillit.keycloak.it.support.KycPages.fieldError;
import static dev.tillit.keycloak.it.support.KycPages.step;
import static dev.tillit.keycloak.it.support.KycPages.title;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Identity verification ({@code tillit-kyc}) in Chromium against the suite's server on PostgreSQL:
 * the whole flow in both languages with generated pictures, what lands in the tables (sealed, bound to
 * its row, stripped), refusals (restricted countries, bad uploads) and deletion with the user.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycIT {

    static final String PASSWORD = "Kyc-Passw0rd!";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private WebDriver browser;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        browser = Browser.get();
    }

    @Test
    void theTablesAreCreatedOnPostgresql() throws Exception {
        List<Map<String, Object>> tables = KycPages.query("select table_name from information_schema.tables"
                + " where table_schema = current_schema() and table_name like 'tillit_kyc_%' order by table_name");
        assertEquals(List.of("tillit_kyc_case", "tillit_kyc_document"), tables.stream().map(t -> t.get("table_name")).toList());
        List<Map<String, Object>> data = KycPages.query("select data_type from information_schema.columns"
                + " where table_name = 'tillit_kyc_document' and column_name = 'data'");
        assertEquals("bytea", data.get(0).get("data_type"));
        assertEquals("PostgreSQL", KycPages.database().getMetaData().getDatabaseProductName());
    }

    /** Signs a fresh user in through the demo client with {@code kc_action=tillit-kyc}. */
    private String signIn(DemoWebClient client, String locale, String prefix) {
        String email = TestUsers.freshEmail(prefix);
        String id = TestUsers.create(realm, email, null, PASSWORD);
        SecondFactorPages.signIn(browser, client.authorizationUrl(locale) + "&kc_action=" + KycPages.ACTION, email, PASSWORD);
        return id;
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void theWholeFlowStoresASealedCaseForReview(String locale) throws Exception {
        boolean sv = locale.equals("sv");
        String dir = "kyc";
        byte[] front = KycPages.cardJpeg(1);
        byte[] back = KycPages.cardJpeg(2);
        byte[] selfie = KycPages.cardJpeg(3);
        String id;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            id = signIn(client, locale, "kyc-flow-" + locale);

            assertEquals(sv ? "Verifiera din identitet" : "Verify your identity", title(browser));
            assertEquals("overview", step(browser));
            Browser.screenshots(browser, dir, "1-overview-" + locale);
            assertTrue(cases(id).isEmpty(), "nothing stored for looking at the overview");
            KycPages.start(browser);

            assertEquals(sv ? "Var bor du?" : "Where do you live?", title(browser));
            Browser.screenshots(browser, dir, "2-country-" + locale);
            KycPages.country(browser, "SE");

            assertEquals("document", step(browser));
            Browser.screenshots(browser, dir, "3-document-" + locale);
            KycPages.document(browser, "SE", "id_card");

            assertEquals("details", step(browser));
            Browser.screenshots(browser, dir, "4-details-" + locale);
            KycPages.details(browser, "Anna Testsson", "1990-04-12", "Storgatan 1", "111 22", "Stockholm");

            assertEquals("front", step(browser));
            Browser.screenshots(browser, dir, "5-front-" + locale);
            KycPages.upload(browser, KycPages.file("front-" + locale + ".jpg", front));

            assertEquals("back", step(browser));
            Browser.screenshots(browser, dir, "6-back-" + locale);
            KycPages.upload(browser, KycPages.file("back-" + locale + ".jpg", back));

            assertEquals("selfie", step(browser));
            Browser.screenshots(browser, dir, "7-selfie-" + locale);
            KycPages.upload(browser, KycPages.file("selfie-" + locale + ".jpg", selfie));

            assertEquals("submitted", step(browser));
            assertEquals(sv ? "Tack, vi granskar dina uppgifter" : "Thank you, we are checking your details", title(browser));
            Browser.screenshots(browser, dir, "8-submitted-" + locale);
            Browser.waitFor(browser, By.id("tillit-kyc-done")).click();

            JsonNode tokens = client.awaitTokens();
            JsonNode access = DemoWebClient.claims(tokens.path("access_token").asText());
            assertEquals("pending", access.path("kyc_status").asText());
            assertEquals(0, access.path("kyc_level").asInt(-1));
            assertTrue(access.path("kyc_level").isInt(), "kyc_level is a number");
        }

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertEquals(List.of("pending"), user.getAttributes().get("kyc_status"));
        assertFalse(user.getRequiredActions().contains(KycPages.ACTION));

        EventRepresentation submitted = events.await("kyc_submitted");
        assertEquals("CUSTOM_REQUIRED_ACTION", submitted.getType());
        assertEquals(id, submitted.getUserId());
        assertEquals(3, events.all("kyc_document_stored").size());

        List<Map<String, Object>> kycCases = cases(id);
        assertEquals(1, kycCases.size());
        Map<String, Object> kycCase = kycCases.get(0);
        assertEquals("pending", kycCase.get("status"));
        assertEquals("SE", kycCase.get("country"));
        assertEquals("id_card", kycCase.get("document_type"));
        assertEquals("SE", kycCase.get("issuing_country"));
        assertEquals(realm.admin().toRepresentation().getId(), kycCase.get("realm_id"));
        assertEquals(3, ((Number) kycCase.get("attempts")).intValue());
        assertNotNull(kycCase.get("submitted_at"));
        assertEquals(TillitEventLog.detail(submitted, "kyc_case"), kycCase.get("id"));

        // Personal details: sealed, bound to the case, readable with the vault key.
        byte[] details = (byte[]) kycCase.get("details");
        assertFalse(KycPages.contains(details, "Testsson".getBytes(StandardCharsets.UTF_8)), "plain name in the table");
        String realmId = (String) kycCase.get("realm_id");
        String caseId = (String) kycCase.get("id");
        String json = new String(KycPages.open(details, "tillit-kyc-details|" + realmId + "|" + caseId), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"fullName\":\"Anna Testsson\"") && json.contains("\"birthDate\":\"1990-04-12\""), json);

        List<Map<String, Object>> docs = documents(id);
        assertEquals(List.of("front", "back", "selfie"), docs.stream().map(d -> d.get("kind")).toList());
        for (Map<String, Object> doc : docs) {
            byte[] stored = (byte[]) doc.get("data");
            assertEquals("kyc-key", doc.get("key_id"));
            assertEquals("image/jpeg", doc.get("content_type"));
            assertFalse(stored[0] == (byte) 0xFF && stored[1] == (byte) 0xD8, "a JPEG in the table");
            assertFalse(KycPages.contains(stored, Arrays.copyOfRange(front, 200, 264)), "upload bytes in the table");
            byte[] plain = KycPages.open(stored, "tillit-kyc-document|" + realmId + "|" + caseId + "|" + doc.get("id") + "|" + doc.get("kind"));
            assertEquals(((Number) doc.get("size_bytes")).longValue(), plain.length);
            assertEquals(doc.get("sha256"), java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(plain)));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(plain));
            assertEquals(1200, image.getWidth());
            assertFalse(KycPages.contains(stored, plain), "the stored bytes are the plaintext");
        }
        // A document sealed for one row does not open as another's.
        Map<String, Object> frontDoc = docs.get(0);
        org.junit.jupiter.api.Assertions.assertThrows(java.security.GeneralSecurityException.class, () -> KycPages.open(
                (byte[]) frontDoc.get("data"), "tillit-kyc-document|" + realmId + "|" + caseId + "|" + frontDoc.get("id") + "|selfie"));

        // Coming back shows "under review", not a new verification.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser = Browser.get();
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale) + "&kc_action=" + KycPages.ACTION,
                    user.getEmail(), PASSWORD);
            assertEquals("submitted", step(browser));
        }
        assertEquals(1, cases(id).size());
    }

    @Test
    void restrictedCountriesAndRegionsAreRefused() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String id = signIn(client, "en", "kyc-country");
            KycPages.start(browser);
            List<String> offered = browser.findElements(By.cssSelector("#country option")).stream()
                    .map(o -> o.getAttribute("value")).toList();
            assertTrue(offered.contains("SE") && offered.contains("CA") && offered.contains("UA"), offered.toString());
            for (String code : List.of("US", "IR", "KP", "CU", "SY", "SD", "SG", "HK")) {
                assertFalse(offered.contains(code), code + " offered");
            }

            // Posted anyway, as by an edited form: refused, with the event.
            KycPages.forceOption(browser, "country", "US");
            assertEquals("We are sorry: we cannot offer our services to residents of this country or region.",
                    fieldError(browser, "country"));
            assertEquals(null, cases(id).get(0).get("country"), "nothing kept of a refused country");
            EventRepresentation refused = events.await("kyc_country_refused");
            assertEquals("US", TillitEventLog.detail(refused, "reason"));
            Browser.screenshots(browser, "kyc", "country-refused-en");

            // Canada asks for the province; Ontario is not among them, and refused if posted.
            KycPages.country(browser, "CA");
            assertEquals("country", step(browser));
            List<String> provinces = browser.findElements(By.cssSelector("#region option")).stream()
                    .map(o -> o.getAttribute("value")).toList();
            assertTrue(provinces.contains("CA-QC"), provinces.toString());
            assertFalse(provinces.contains("CA-ON"), provinces.toString());
            Browser.screenshots(browser, "kyc", "country-region-en");
            KycPages.forceOption(browser, "region", "CA-ON");
            assertEquals("We are sorry: we cannot offer our services to residents of this country or region.",
                    fieldError(browser, "region"));
            assertEquals("CA-ON", TillitEventLog.detail(events.await("kyc_country_refused"), "reason"));
            Map<String, Object> kycCase = cases(id).get(0);
            assertEquals(null, kycCase.get("region"), "nothing kept of a refused region");
            assertEquals("country", kycCase.get("step"));

            // A served province goes on.
            KycPages.region(browser, "CA-QC");
            assertEquals("document", step(browser));
            assertEquals("CA-QC", cases(id).get(0).get("region"));
        }
    }

    @Test
    void badUploadsAreRefusedWithAMessageAndNothingIsStored() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String id = signIn(client, "en", "kyc-upload");
            KycPages.start(browser);
            KycPages.country(browser, "SE");
            KycPages.document(browser, "SE", "passport");
            KycPages.details(browser, "Bo Prov", "1985-01-02", "Gatan 2", "222 33", "Lund");
            assertEquals("front", step(browser));

            byte[] jpeg = KycPages.cardJpeg(7);
            Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
            bad.put("not_an_image", "Just text, saved as passport.jpg\n".repeat(40).getBytes(StandardCharsets.UTF_8));
            bad.put("damaged", Arrays.copyOf(jpeg, jpeg.length / 2));
            bad.put("too_many_pixels", KycPages.pngBomb(30000, 30000));
            bad.put("too_dark", KycPages.jpeg(darken(KycPages.card(1200, 800, 8))));
            bad.put("too_small", KycPages.jpeg(KycPages.card(400, 300, 9)));
            Map<String, String> messages = Map.of(
                    "not_an_image", "This file is not a picture we can read. Upload a JPEG or PNG photo.",
                    "damaged", "The picture seems damaged or incomplete. Take a new photo and try again.",
                    "too_many_pixels", "The picture has too many pixels. Take a new photo with your phone's normal camera settings.",
                    "too_dark", "The picture is too dark. Take it again in better light.",
                    "too_small", "The picture is too small to read. Take the photo closer, with the ID filling most of the picture.");
            String[] names = {"passport.jpg", "truncated.jpg", "bomb.png", "dark.jpg", "small.jpg"};
            int i = 0;
            for (Map.Entry<String, byte[]> upload : bad.entrySet()) {
                KycPages.upload(browser, KycPages.file(names[i++], upload.getValue()));
                assertEquals(messages.get(upload.getKey()), fieldError(browser, "image"), upload.getKey());
                assertEquals("front", step(browser));
                EventRepresentation refused = events.await("kyc_upload_refused");
                assertEquals(upload.getKey(), TillitEventLog.detail(refused, "reason"));
                assertEquals("CUSTOM_REQUIRED_ACTION_ERROR", refused.getType());
            }
            Browser.screenshots(browser, "kyc", "upload-refused-en");
            assertTrue(documents(id).isEmpty(), "a refused upload is not stored");
            assertEquals(bad.size(), ((Number) cases(id).get(0).get("attempts")).intValue());

            // No file at all.
            KycPages.next(browser);
            assertEquals("Choose a picture to upload.", fieldError(browser, "image"));

            // A good one goes through; a passport has no back, so the selfie is next.
            KycPages.upload(browser, KycPages.file("good.jpg", jpeg));
            assertEquals("selfie", step(browser));
            assertEquals(1, documents(id).size());
        }
    }

    @Test
    void theBackButtonKeepsWhatWasChosen() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signIn(client, "en", "kyc-back");
            KycPages.start(browser);
            KycPages.country(browser, "NO");
            assertEquals("document", step(browser));
            Browser.waitFor(browser, By.id("tillit-kyc-back")).click();
            assertEquals("country", step(browser));
            assertEquals("NO", new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("country")))
                    .getFirstSelectedOption().getAttribute("value"));
        }
    }

    @Test
    void deletingTheUserDeletesTheirKycData() throws Exception {
        String id;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            id = signIn(client, "en", "kyc-delete");
            KycPages.start(browser);
            KycPages.country(browser, "SE");
            KycPages.document(browser, "SE", "passport");
            KycPages.details(browser, "Cecilia Bort", "1970-05-06", "Vägen 3", "333 44", "Malmö");
            KycPages.upload(browser, KycPages.file("delete-front.jpg", KycPages.cardJpeg(11)));
            assertEquals("selfie", step(browser));
        }
        String other;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser = Browser.get();
            other = signIn(client, "en", "kyc-keep");
            KycPages.start(browser);
            assertEquals("country", step(browser));
        }
        assertEquals(1, cases(id).size());
        assertEquals(1, documents(id).size());

        realm.admin().users().get(id).remove();

        assertTrue(cases(id).isEmpty(), "case left after the user was deleted");
        assertTrue(KycPages.query("select id from tillit_kyc_document where case_id not in (select id from tillit_kyc_case)").isEmpty());
        assertEquals(1, cases(other).size(), "another user's case is untouched");
    }

    @Test
    void anAbandonedDraftExpires() throws Exception {
        String email;
        String id;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            id = signIn(client, "en", "kyc-expire");
            email = realm.admin().users().get(id).toRepresentation().getEmail();
            KycPages.start(browser);
            KycPages.country(browser, "SE");
            assertEquals("document", step(browser));
        }
        // 31 days untouched (the retention is 30 days).
        long old = System.currentTimeMillis() - 31L * 24 * 3600 * 1000;
        try (java.sql.Connection c = KycPages.database();
             java.sql.PreparedStatement s = c.prepareStatement("update tillit_kyc_case set updated_at = ? where user_id = ?")) {
            s.setLong(1, old);
            s.setString(2, id);
            assertEquals(1, s.executeUpdate());
        }
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser = Browser.get();
            SecondFactorPages.signIn(browser, client.authorizationUrl("en") + "&kc_action=" + KycPages.ACTION, email, PASSWORD);
            assertEquals("overview", step(browser), "an expired draft starts over");
        }
        assertTrue(cases(id).isEmpty(), "the expired draft is deleted");
    }

    @Test
    void anAdminCanRequireTheVerification() throws Exception {
        String email = TestUsers.freshEmail("kyc-admin");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setRequiredActions(List.of(KycPages.ACTION));
        realm.admin().users().get(id).update(user);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            assertEquals("overview", step(browser));
            assertTrue(browser.findElements(By.id("tillit-kyc-cancel")).isEmpty(), "a required verification has no 'not now'");
        }
    }

    private static BufferedImage darken(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = ((rgb >> 16) & 0xff) / 8;
                int g = ((rgb >> 8) & 0xff) / 8;
                int b = (rgb & 0xff) / 8;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

}
