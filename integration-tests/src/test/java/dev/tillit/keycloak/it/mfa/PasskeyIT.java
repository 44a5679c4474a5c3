package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.Passkeys.PASSKEY;
import static dev.tillit.keycloak.it.support.Passkeys.RECOVERY_CODES;
import static dev.tillit.keycloak.it.support.Passkeys.REGISTER_PASSKEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Passkeys in Chromium with Selenium's virtual authenticator: registered through Keycloak's required
 * action, asked as the second factor after the password, signing in from our identifier form without
 * the password (passkey autofill), refused when they belong to another account, asked by the reset,
 * and their removal locks withdrawals.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PasskeyIT {

    static final String PASSWORD = "Passkey-Passw0rd!";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private WebDriver browser;
    private VirtualAuthenticator authenticator;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        browser = Browser.get();
        authenticator = Passkeys.add(browser);
    }

    @AfterEach
    void tearDown() {
        Passkeys.remove(browser, authenticator);
        realm.admin().attackDetection().clearAllBruteForce();
    }

    @Test
    void aPasskeyIsRegisteredAtSignInAndThenAskedAsTheSecondFactor() throws Exception {
        String email = TestUsers.freshEmail("passkey");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        requireAction(id, REGISTER_PASSKEY);

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("en"));
            // Our identifier form offers passkeys: autofill on the identifier field and a button.
            assertEquals("username webauthn", Browser.waitFor(browser, By.id("username")).getDomAttribute("autocomplete"));
            assertEquals("Sign in with a passkey", browser.findElement(By.id("authenticateWebAuthnButton")).getText().trim());
            Browser.screenshots(browser, "passkeys", "sign-in-form-en");

            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            assertEquals("Add a passkey", Browser.pageTitle(browser, "Add a passkey"));
            Browser.screenshots(browser, "passkeys", "register-en");
            Passkeys.register(browser, "My laptop");

            // The first second factor leads to recovery codes.
            assertEquals("Save your recovery codes", Browser.pageTitle(browser, "Save your recovery codes"));
            Browser.screenshots(browser, "passkeys", "recovery-codes-after-passkey-en");
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(SecondFactorPages.credentialTypes(realm, id).containsAll(List.of(PASSKEY, RECOVERY_CODES)));
        EventRepresentation registered = events.awaitType("UPDATE_CREDENTIAL", "credential_type", PASSKEY);
        assertEquals(id, registered.getUserId());
        List<Credential> held = authenticator.getCredentials();
        assertEquals(1, held.size());
        assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), held.get(0).getUserHandle(), "a discoverable passkey of this account");

        // The next sign-in asks for the passkey after the password.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signInWithPassword(client.authorizationUrl("en"), email);
            assertEquals("Confirm with your passkey", Browser.pageTitle(browser, "Confirm with your passkey"));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
            Browser.screenshots(browser, "passkeys", "second-factor-en");
            Passkeys.authenticate(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertEquals(id, events.awaitType("LOGIN", null, null).getUserId());

        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signInWithPassword(client.authorizationUrl("sv"), email);
            assertEquals("Bekräfta med din nyckel", Browser.pageTitle(browser, "Bekräfta med din nyckel"));
            Browser.screenshots(browser, "passkeys", "second-factor-sv");
            Browser.waitFor(browser, By.id("try-another-way")).click();
            Browser.waitFor(browser, By.xpath("//h2[normalize-space()='Nyckel (passkey)']"));
            Browser.waitFor(browser, By.xpath("//h2[normalize-space()='Återställningskod']"));
            Browser.screenshots(browser, "passkeys", "choose-factor-sv");
            SecondFactorPages.choose(browser, "Nyckel (passkey)");
            Passkeys.authenticate(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void aPasskeySignsInFromOurIdentifierFormWithoutThePasswordOrASecondFactor() throws Exception {
        String email = TestUsers.freshEmail("passkey-autofill");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, null, PASSWORD, secret);
        requireAction(id, REGISTER_PASSKEY);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Passkeys.register(browser, "My phone");
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }

        // Signed out. The identifier form, nothing typed: the passkey alone signs in, and no
        // authenticator-app code is asked although the account has one (a passkey is two factors).
        events = new TillitEventLog(realm); // the sign-in above is not this one
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            // Nothing is typed or clicked: the page's conditional (autofill) request is answered by
            // Chromium's virtual authenticator, which picks the site's passkey as a user would from
            // the autofill list, and the page posts the assertion to our form.
            browser.get(client.authorizationUrl("en"));
            Browser.waitFor(browser, By.id("signed-in"));
            String token = client.awaitTokens().get("access_token").asText();
            assertEquals(email, DemoWebClient.claims(token).get("email").asText());

            // The account console lists the passkey and the recovery codes, each removable.
            java.net.http.HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(realm.getBaseUrl() + "/account/credentials"))
                            .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listed.statusCode(), listed.body());
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byType = new java.util.HashMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.body()).forEach(t -> byType.put(t.get("type").asText(), t));
            for (String type : List.of(PASSKEY, RECOVERY_CODES)) {
                assertEquals(1, byType.get(type).get("userCredentialMetadatas").size(), type + ": " + listed.body());
                assertTrue(byType.get(type).get("removeable").asBoolean(), type);
            }
            assertEquals(REGISTER_PASSKEY, byType.get(PASSKEY).get("createAction").asText());
            assertEquals("webauthn-passwordless-display-name", byType.get(PASSKEY).get("displayName").asText());
        }
        // One sign-in, of this account, proved by the passkey: no password and no app code in it.
        EventRepresentation login = events.awaitType("LOGIN", null, null);
        assertEquals(id, login.getUserId());
        assertEquals(PASSKEY, TillitEventLog.detail(login, "credential_type"), String.valueOf(login.getDetails()));
        assertEquals(1, events.ofType("LOGIN", id).size());
        assertEquals(List.of(), events.ofType("LOGIN_ERROR", id));
    }

    @Test
    void aPasskeyOfAnotherAccountIsRefused() throws Exception {
        String victim = TestUsers.freshEmail("passkey-victim");
        String victimId = accountWithPasskey(victim, "sv", "sv");
        String attacker = TestUsers.freshEmail("passkey-attacker");
        String attackerId = accountWithPasskey(attacker, "en", null);

        // The authenticator now holds the attacker's passkey only.
        byte[] victimHandle = victimId.getBytes(StandardCharsets.UTF_8);
        for (Credential credential : authenticator.getCredentials()) {
            if (java.util.Arrays.equals(victimHandle, credential.getUserHandle())) {
                authenticator.removeCredential(credential.getId());
            }
        }
        assertEquals(1, authenticator.getCredentials().size());

        // The victim's password is known; the page is made to accept any passkey: the attacker's
        // valid assertion (right challenge, right site) is refused because it names another account.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signInWithPassword(client.authorizationUrl("en"), victim);
            Browser.waitFor(browser, By.id("authenticateWebAuthnButton"));
            Passkeys.forgetAllowedPasskeys(browser);
            Passkeys.authenticate(browser);
            assertEquals("That passkey belongs to another account. Use the passkey of this account or choose another way.",
                    Browser.textOf(browser, By.className("kc-feedback-text")).trim());
            Browser.screenshots(browser, "passkeys", "other-account-refused-en");
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
        }
        // The refusal names both accounts: the one being signed in to (the victim's, whose password
        // was given) and the one the passkey belongs to (the attacker's).
        EventRepresentation refused = events.awaitType("LOGIN_ERROR", "first_authenticated_user_id", victimId);
        assertEquals("different_user_authenticated", refused.getError());
        assertEquals(attackerId, TillitEventLog.detail(refused, "web_authn_authenticated_user_id"));
    }

    @Test
    void theResetAsksForThePasskey() throws Exception {
        String email = TestUsers.freshEmail("passkey-reset");
        accountWithPasskey(email, "en", null);
        int mails = mail.getReceivedMessages().length;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            List<Credential> held = Passkeys.hide(authenticator);
            ResetPages.start(browser, client, "en", email);
            Browser.waitFor(browser, By.id("code"));
            Passkeys.restore(authenticator, held);
            assertTrue(mail.waitForIncomingEmail(15000, mails + 1));
            SignupPages.enterCode(browser, SecondFactorPages.codeInMail(mail.getReceivedMessages()[mails]));

            // The mailbox is proved; the passkey must be too before a new password.
            assertEquals("Confirm with your passkey", Browser.pageTitle(browser, "Confirm with your passkey"));
            assertTrue(!ResetPages.onNewPasswordPage(browser), "no new password without the passkey");
            Browser.screenshots(browser, "passkeys", "reset-passkey-en");
            Passkeys.authenticate(browser);
            ResetPages.submitNewPassword(browser, "New-Passw0rd?");
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
    }

    @Test
    void removingAPasskeyInTheAccountConsoleLocksWithdrawals() throws Exception {
        String email = TestUsers.freshEmail("passkey-remove");
        String id = accountWithPasskey(email, "en", null);
        String credentialId = realm.admin().users().get(id).credentials().stream()
                .filter(c -> PASSKEY.equals(c.getType())).findFirst().orElseThrow().getId();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signInWithPassword(client.authorizationUrl(null) + "&kc_action=delete_credential:" + credentialId, email);
            Passkeys.authenticate(browser);
            Browser.waitFor(browser, By.id("kc-accept"));
            Browser.screenshots(browser, "passkeys", "remove-passkey-en");
            browser.findElement(By.id("kc-accept")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(SecondFactorPages.credentialTypes(realm, id).stream().noneMatch(PASSKEY::equals));
        assertEquals(PASSKEY, TillitEventLog.detail(events.awaitType("REMOVE_CREDENTIAL", null, null), "credential_type"));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("second_factor_removed", TillitEventLog.detail(locked, "reason"));
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertTrue(Long.parseLong(user.getAttributes().get("withdrawal_locked_until").get(0))
                > System.currentTimeMillis() / 1000 + 3600);
    }

    @Test
    void thePasswordGrantIsNoWayAroundAPasskey() throws Exception {
        String email = TestUsers.freshEmail("passkey-grant");
        String id = accountWithPasskey(email, "en", null);
        // The passkey alone as the second factor (the recovery codes removed by an admin).
        realm.admin().users().get(id).credentials().stream().filter(c -> RECOVERY_CODES.equals(c.getType()))
                .forEach(c -> realm.admin().users().get(id).removeCredential(c.getId()));
        assertEquals(List.of("password", PASSKEY), SecondFactorPages.credentialTypes(realm, id).stream().sorted().toList());

        java.net.http.HttpResponse<String> refused = TestUsers.passwordGrant(realm, email, PASSWORD);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_grant", TestUsers.json(refused).get("error").asText());
        assertEquals(id, events.await("direct_grant_second_factor_required").getUserId());
    }

    /**
     * An account with a password whose passkey was registered through Keycloak's required action at
     * its first sign-in (recovery codes saved after it); screenshots in {@code shots} when not null.
     * Leaves the browser signed out.
     */
    private String accountWithPasskey(String email, String locale, String shots) throws Exception {
        String id = TestUsers.create(realm, email, null, PASSWORD);
        requireAction(id, REGISTER_PASSKEY);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            signInWithPassword(client.authorizationUrl(locale), email);
            Browser.waitFor(browser, By.id("registerWebAuthn"));
            if (shots != null) {
                Browser.screenshots(browser, "passkeys", "register-" + shots);
            }
            Passkeys.register(browser, "Key of " + email);
            Browser.waitFor(browser, By.id("kc-recovery-codes-list"));
            if (shots != null) {
                Browser.screenshots(browser, "passkeys", "recovery-codes-after-passkey-" + shots);
            }
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        browser = Browser.get();
        return id;
    }

    /** Password on the identifier form (passkey autofill given nothing to offer meanwhile); waits for the next page. */
    private void signInWithPassword(String url, String email) {
        List<Credential> held = Passkeys.hide(authenticator);
        SecondFactorPages.signIn(browser, url, email, PASSWORD);
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(d -> d.findElements(By.id("password")).isEmpty());
        Passkeys.restore(authenticator, held);
    }

    private void requireAction(String id, String action) {
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(action));
        realm.admin().users().get(id).update(rep);
    }
}
