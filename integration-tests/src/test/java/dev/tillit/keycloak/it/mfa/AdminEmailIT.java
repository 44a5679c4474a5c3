package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.EMAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
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
import org.openqa.selenium.WebDriver;

/**
 * An admin (admin console or admin API) setting a user's email address, even with
 * {@code emailVerified: true}: the address is stored unverified like an admin-set phone number, the
 * email second factor goes, and no code (sign-in or password reset) reaches the address until the
 * user proves it; the account signs in with its other factor.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AdminEmailIT {

    static final String PASSWORD = "Admin-Passw0rd!";
    static final String CODE_SUBJECT = "Your Tillit verification code";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
    }

    @Test
    void anAdminSetAddressIsStoredUnverifiedAndGetsNoCodes() throws Exception {
        String oldEmail = TestUsers.freshEmail("admin-email-old");
        String newEmail = TestUsers.freshEmail("admin-email-new");
        String secret = "admin-email-app-" + System.nanoTime();
        String id = SecondFactorPages.createUser(realm, oldEmail, null, PASSWORD, secret, EMAIL);
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(EMAIL));

        // The admin types the new address and ticks "Email verified".
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setEmail(newEmail);
        user.setEmailVerified(true);
        realm.admin().users().get(id).update(user);

        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(newEmail, after.getEmail());
        assertFalse(after.isEmailVerified(), "an admin's word is no proof: stored unverified although the request said true");
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(EMAIL), "the email factor followed the address");
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains("otp"), "the other factor stays");

        EventRepresentation unverified = events.await("admin_email_unverified");
        assertEquals("CUSTOM_REQUIRED_ACTION", unverified.getType());
        assertEquals(id, unverified.getUserId());
        assertEquals(oldEmail, TillitEventLog.detail(unverified, "previous_email"));
        assertEquals(newEmail, TillitEventLog.detail(unverified, "updated_email"));
        assertEquals("true", TillitEventLog.detail(unverified, "email_verified_claimed"));
        EventRepresentation removed = events.await("email_factor_followed_email");
        assertEquals("REMOVE_CREDENTIAL", removed.getType());
        assertEquals(EMAIL, TillitEventLog.detail(removed, "credential_type"));
        List<String> reasons = events.all("withdrawal_locked").stream().map(e -> TillitEventLog.detail(e, "reason")).toList();
        assertTrue(reasons.contains("email_changed"), reasons.toString());

        // Signing in: the authenticator app is asked (no email code), and the account works.
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), newEmail, PASSWORD);
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            assertEquals(id, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        assertEquals(0, SecondFactorPages.all(events, "code_sent", "mfa-email").size(), "no sign-in code by email");

        // A password reset by the unproved address: the same answer as for any address, and no code goes there.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "en", newEmail);
            Browser.waitFor(browser, By.id("code"));
        }
        // A control: a reset by a proved address, started afterwards, does get its code; by then the first would have come.
        String control = TestUsers.freshEmail("admin-email-control");
        TestUsers.create(realm, control, null, PASSWORD);
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "en", control);
            Browser.waitFor(browser, By.id("code"));
            Mails.to(mail, control, CODE_SUBJECT);
        }
        assertEquals(0, Mails.count(mail, newEmail, CODE_SUBJECT), "no code to the unproved address");
    }
}
