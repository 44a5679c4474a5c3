package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
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
 * Admin support through the admin REST API (what the admin console calls): changing a user's
 * phone number (validated, audited, the user told, withdrawals locked) and removing a user's
 * second factors; the phone number and the SMS factor stay in step whichever side changes.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AdminPhoneFactorIT {

    static final String PASSWORD = "Admin-Passw0rd!";

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
    }

    @Test
    void anInvalidNumberIsRefusedAndChangesNothing() {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, TestUsers.freshEmail("admin-bad"), phone, PASSWORD, null, SMS);
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.getAttributes().put("phone_number", List.of("070-123 45 67"));
        BadRequestException refused = assertThrows(BadRequestException.class, () -> realm.admin().users().get(id).update(user));
        assertTrue(refused.getResponse().readEntity(String.class).contains("tillitPhoneInvalid"));

        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(List.of(phone), after.getAttributes().get("phone_number"));
        assertEquals(List.of("true"), after.getAttributes().get("phone_number_verified"));
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        assertTrue(events.all("withdrawal_locked").isEmpty(), "nothing changed, nothing locked");
    }

    @Test
    void aChangedNumberIsUnverifiedTheSmsFactorGoesTheOldNumberIsToldAndWithdrawalsLock() throws Exception {
        String email = TestUsers.freshEmail("admin-phone");
        String oldPhone = TestUsers.freshPhone();
        String newPhone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, oldPhone, PASSWORD, null, SMS);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        // The admin API takes E.164 only (the validator refuses national forms, see anInvalidNumberIsRefusedAndChangesNothing).
        user.getAttributes().put("phone_number", List.of(newPhone));
        realm.admin().users().get(id).update(user);

        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(List.of(newPhone), after.getAttributes().get("phone_number"));
        assertEquals(List.of("false"), after.getAttributes().get("phone_number_verified"),
                "an admin's word is no proof: the new number is unverified although the request said true");
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS), "the SMS factor followed the number");

        EventRepresentation removed = events.await("sms_factor_followed_phone");
        assertEquals("REMOVE_CREDENTIAL", removed.getType());
        assertEquals(SMS, TillitEventLog.detail(removed, "credential_type"));
        assertEquals(id, removed.getUserId());
        List<String> reasons = events.all("withdrawal_locked").stream().map(e -> TillitEventLog.detail(e, "reason")).toList();
        assertTrue(reasons.contains("phone_changed"), reasons.toString());

        // Audited: the admin event of the update.
        List<AdminEventRepresentation> audit = realm.admin().getAdminEvents().stream()
                .filter(e -> ("users/" + id).equals(e.getResourcePath()) && "UPDATE".equals(e.getOperationType())).toList();
        assertEquals(1, audit.size());

        // Told: the previous (proved) number, never the new unproved one.
        List<SmsSink.Sms> toOld = sms.to(oldPhone);
        assertTrue(toOld.stream().anyMatch(s -> s.text().startsWith("Tillit: the mobile number of your account was changed.")),
                toOld.toString());
        assertEquals(List.of(), sms.to(newPhone));

        // The SMS factor no longer asks anything: the owner signs in with the password alone, and no
        // sign-in code goes to the unproved number (nor anywhere else).
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
            assertTrue(client.awaitTokens().has("access_token"));
        }
        assertEquals(List.of(), sms.answersTo(newPhone));
        assertEquals(0, SecondFactorPages.all(events, "code_sent", "mfa-sms").size());
    }

    @Test
    void removingTheNumberRemovesTheSmsFactor() throws Exception {
        String email = TestUsers.freshEmail("admin-nophone");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.getAttributes().remove("phone_number");
        user.getAttributes().remove("phone_number_verified");
        realm.admin().users().get(id).update(user);

        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertNull(after.getAttributes() == null ? null : after.getAttributes().get("phone_number"));
        assertNull(after.getAttributes() == null ? null : after.getAttributes().get("phone_number_verified"));
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        assertEquals("REMOVE_CREDENTIAL", events.await("sms_factor_followed_phone").getType());
        assertTrue(events.all("withdrawal_locked").stream().anyMatch(e -> "phone_changed".equals(TillitEventLog.detail(e, "reason"))));
    }

    @Test
    void unverifyingTheNumberRemovesTheSmsFactorAndLocks() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, TestUsers.freshEmail("admin-unverify"), phone, PASSWORD, null, SMS);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.getAttributes().put("phone_number_verified", List.of("false"));
        realm.admin().users().get(id).update(user);

        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        assertEquals(List.of(phone), realm.admin().users().get(id).toRepresentation().getAttributes().get("phone_number"));
        events.await("sms_factor_followed_phone");
        assertEquals("second_factor_removed", TillitEventLog.detail(events.await("withdrawal_locked"), "reason"));
    }

    @Test
    void savingAnUnchangedUserKeepsTheFactor() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, TestUsers.freshEmail("admin-same"), phone, PASSWORD, null, SMS);
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setFirstName("Renamed");
        realm.admin().users().get(id).update(user);

        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        assertEquals(List.of("true"), realm.admin().users().get(id).toRepresentation().getAttributes().get("phone_number_verified"));
        assertTrue(events.all("sms_factor_followed_phone").isEmpty());
        assertTrue(events.all("withdrawal_locked").isEmpty());
    }

    @Test
    void anAdminRemovingTheSmsFactorLocksAndLeavesTheNumber() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, TestUsers.freshEmail("admin-delete"), phone, PASSWORD, null, SMS);
        String credential = realm.admin().users().get(id).credentials().stream()
                .filter(c -> SMS.equals(c.getType())).findFirst().orElseThrow().getId();

        realm.admin().users().get(id).removeCredential(credential);

        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("second_factor_removed", TillitEventLog.detail(locked, "reason"));
        // The number is still the account's, proved: it signs in and resets by it; only the factor is gone.
        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(List.of(phone), after.getAttributes().get("phone_number"));
        assertEquals(List.of("true"), after.getAttributes().get("phone_number_verified"));
        assertTrue(realm.admin().getAdminEvents().stream()
                .anyMatch(e -> "ACTION".equals(e.getOperationType()) /* Keycloak 26.7 audits a credential delete as ACTION */ && e.getResourcePath().startsWith("users/" + id + "/credentials/")));
    }
}
