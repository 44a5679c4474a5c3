package dev.tillit.keycloak.it.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.IdImages;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.KycReviewApi;
import dev.tillit.keycloak.it.support.KycStorage;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.WebDriver;

/**
 * What happens to a customer's verification when the account goes, on the real server and its
 * PostgreSQL tables: undecided cases are deleted with the account; decided ones are kept for the
 * realm's retention period after it closed, then deleted by the sweep — each deletion audited;
 * drafts nobody finished go after their lifetime. The test's clock is the row's recorded time
 * (closure, last change), moved back in PostgreSQL.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycRetentionIT {

    static final String PASSWORD = "Retain-Passw0rd!";
    static final String HOLDER = "Nils Ek";

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
    void anAccountDeletedBeforeTheDecisionTakesItsVerificationAlong() throws Exception {
        String userId = KycReviewApi.submittedCase(realm, browser, TestUsers.freshEmail("retain-undecided"), PASSWORD, HOLDER, "en");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        assertEquals(3, KycStorage.documentsOf(caseId).size());

        realm.admin().users().get(userId).remove();

        assertEquals(List.of(), KycStorage.casesOf(realm.getId(), userId));
        assertEquals(Map.of(), KycStorage.documentsOf(caseId), "the pictures go with the case");
        EventRepresentation purged = events.await("kyc_case_purged");
        assertEquals(userId, purged.getUserId());
        assertEquals(caseId, TillitEventLog.detail(purged, "kyc_case"));
        assertEquals("account_deleted_before_decision", TillitEventLog.detail(purged, "reason"));
    }

    @Test
    void aDecidedVerificationOutlivesTheAccountForTheRetentionPeriodThenGoes() throws Exception {
        long start = System.currentTimeMillis();
        String userId = KycReviewApi.submittedCase(realm, browser, TestUsers.freshEmail("retain-decided"), PASSWORD, HOLDER, "sv");
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        String reviewerEmail = TestUsers.freshEmail("retain-reviewer");
        String reviewerId = KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));
        HttpResponse<String> approved = api.post("/cases/" + caseId + "/approve", Map.of("level", 1));
        assertEquals(200, approved.statusCode(), approved.body());
        events.await("kyc_approved");

        realm.admin().users().get(userId).remove();

        // Kept: the case, its three pictures, and when the account closed.
        assertEquals("approved", KycStorage.casesOf(realm.getId(), userId).get(0).status());
        assertEquals(3, KycStorage.documentsOf(caseId).size());
        Long closedAt = KycStorage.accountClosedAt(caseId);
        assertNotNull(closedAt);
        assertTrue(closedAt >= start && closedAt <= System.currentTimeMillis(), "closed at " + closedAt);
        EventRepresentation retained = events.await("kyc_case_retained");
        assertEquals(userId, retained.getUserId());
        assertEquals(caseId, TillitEventLog.detail(retained, "kyc_case"));
        JsonNode kept = api.getJson("/cases/" + caseId);
        assertEquals(closedAt.longValue(), kept.get("accountClosedAt").asLong());
        assertTrue(kept.get("username") == null || kept.get("username").isNull(), "the account is gone");

        // Only reviewers may run the sweep.
        String someone = TestUsers.freshEmail("retain-someone");
        TestUsers.create(realm, someone, null, PASSWORD);
        assertEquals(403, KycReviewApi.of(realm, KycReviewApi.appToken(realm, someone, PASSWORD))
                .post("/retention/sweep", Map.of()).statusCode());

        try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin())) {
            settings.set("kycRetentionDays", "1");

            // Closed 23 hours ago: the day has not passed.
            KycStorage.accountClosedDaysAgo(caseId, 23.0 / 24);
            assertEquals(0, sweep(api).get("retentionEnded").asInt());
            assertEquals(3, KycStorage.documentsOf(caseId).size());

            // Closed 25 hours ago: it has.
            KycStorage.accountClosedDaysAgo(caseId, 25.0 / 24);
            assertEquals(1, sweep(api).get("retentionEnded").asInt());
        }
        assertEquals(List.of(), KycStorage.casesOf(realm.getId(), userId));
        assertEquals(Map.of(), KycStorage.documentsOf(caseId));
        assertEquals(404, api.getText("/cases/" + caseId).statusCode());
        EventRepresentation purged = events.await("kyc_case_purged");
        assertEquals(userId, purged.getUserId());
        assertEquals(caseId, TillitEventLog.detail(purged, "kyc_case"));
        assertEquals("retention_ended", TillitEventLog.detail(purged, "reason"));

        List<AdminEventRepresentation> runs = realm.admin().getAdminEvents(null, null, null, reviewerId, null, null,
                        null, null, 0, 100).stream()
                .filter(e -> e.getTime() >= start && "tillit-kyc/retention/sweep".equals(e.getResourcePath())).toList();
        assertEquals(2, runs.size(), "each sweep a reviewer ran is an admin event");
        assertEquals("ACTION", runs.get(0).getOperationType());
    }

    @Test
    void anUnfinishedVerificationIsDeletedOnceTheDraftLifetimeHasPassed() throws Exception {
        String email = TestUsers.freshEmail("retain-draft");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        UserRepresentation rep = realm.admin().users().get(userId).toRepresentation();
        rep.setRequiredActions(List.of(KycPages.ACTION));
        realm.admin().users().get(userId).update(rep);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            KycPages.start(browser);
            KycPages.chooseCountry(browser, "SE");
            KycPages.chooseDocument(browser, "id_card", "SE");
            KycPages.enterDetails(browser, HOLDER, "1990-01-01", "Storgatan 1", "111 22", "Stockholm");
            KycPages.upload(browser, IdImages.front(HOLDER));
        }
        String caseId = KycStorage.casesOf(realm.getId(), userId).get(0).id();
        assertEquals("draft", KycStorage.casesOf(realm.getId(), userId).get(0).status());
        String reviewerEmail = TestUsers.freshEmail("retain-sweeper");
        KycReviewApi.reviewer(realm, reviewerEmail, PASSWORD);
        KycReviewApi api = KycReviewApi.of(realm, KycReviewApi.token(realm, reviewerEmail, PASSWORD));

        try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin())) {
            settings.set("kycDraftDays", "1");
            KycStorage.touchedDaysAgo(caseId, 23.0 / 24);
            assertEquals(0, sweep(api).get("drafts").asInt());
            assertEquals(1, KycStorage.documentsOf(caseId).size(), "a draft touched within the day stays");
            KycStorage.touchedDaysAgo(caseId, 25.0 / 24);
            assertEquals(1, sweep(api).get("drafts").asInt());
        }
        assertEquals(List.of(), KycStorage.casesOf(realm.getId(), userId));
        assertEquals(Map.of(), KycStorage.documentsOf(caseId));
        assertEquals(List.of(KycPages.ACTION), realm.admin().users().get(userId).toRepresentation().getRequiredActions(),
                "the user is still asked to verify, from the start");
    }

    private static JsonNode sweep(KycReviewApi api) throws Exception {
        HttpResponse<String> response = api.post("/retention/sweep", Map.of());
        assertEquals(200, response.statusCode(), response.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }
}
