package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.EMAIL;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SETUP_EMAIL;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SETUP_SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.await;
import static dev.tillit.keycloak.it.support.SecondFactorPages.codeInMail;
import static dev.tillit.keycloak.it.support.SecondFactorPages.otherThan;
import static dev.tillit.keycloak.it.support.SecondFactorPages.shown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

/**
 * The SMS and email second factors in Chromium: set up (the number or address proved by a code),
 * then asked after the password; wrong, expired and reused codes; "try another way"; accounts
 * without a factor are not asked.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SecondFactorIT extends SmsGatewayTest {

    static final String PASSWORD = "Mfa-Passw0rd!";
    static final String WRONG_CODE = "That code is not correct. Check it and try again.";

    @Test
    void smsFactorIsSetUpFromTheAccountConsoleAndAskedAtSignIn() throws Exception {
        String email = TestUsers.freshEmail("sms-factor");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, null, PASSWORD);

        // The account console's "Set up" for the SMS code is the application-initiated action.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en") + "&kc_action=" + SETUP_SMS, email, PASSWORD);
            assertEquals("Get sign-in codes by SMS", Browser.pageTitle(browser, "Get sign-in codes by SMS"));
            Browser.screenshots(browser, "mfa", "setup-sms-en");

            typeContact("070-12");
            assertEquals("That is not a valid phone number. Check the number and the country code.",
                    SignupPages.fieldError(browser, "identifier"));
            assertEquals(0, SecondFactorPages.all(events, "code_sent", "mfa-setup-sms").size());

            typeContact(TestUsers.national(phone));
            assertEquals("To turn on sign-in codes by SMS, enter the 6-digit code we sent to +46 ••• ••• "
                    + phone.substring(phone.length() - 2) + ".", shown(browser));
            Browser.screenshots(browser, "mfa", "setup-sms-code-en");
            String setupCode = sms.awaitCode(phone, 1);
            await(events, "code_sent", "mfa-setup-sms");

            SignupPages.enterCode(browser, otherThan(setupCode));
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertTrue(SecondFactorPages.credentialTypes(realm, id).stream().noneMatch(SMS::equals), "nothing stored before the code");

            SignupPages.enterCode(browser, setupCode);
            // The first second factor leads to Keycloak's recovery codes (RecoveryCodesIT).
            assertEquals("Save your recovery codes", Browser.pageTitle(browser, "Save your recovery codes"));
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertEquals(List.of(phone), user.getAttributes().get("phone_number"));
        assertEquals(List.of("true"), user.getAttributes().get("phone_number_verified"));
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        EventRepresentation added = events.await("second_factor_added");
        assertEquals("UPDATE_CREDENTIAL", added.getType());
        assertEquals(SMS, TillitEventLog.detail(added, "credential_type"));
        EventRepresentation contact = events.await("contact_added");
        assertEquals("UPDATE_PROFILE", contact.getType());
        assertEquals(phone, TillitEventLog.detail(contact, "updated_phone_number"));

        // The next sign-in asks for an SMS code after the password, and opens on the code page.
        String used;
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            assertEquals("To confirm it is you, enter the 6-digit code we sent by text message to +46 ••• ••• "
                    + phone.substring(phone.length() - 2) + ".", shown(browser));
            assertTrue(browser.findElements(By.id("tillit-restart")).isEmpty(), "a second factor has nothing to start over with");
            assertFalse(browser.findElements(By.id("try-another-way")).isEmpty(), "the recovery codes saved at set-up are another way");
            Browser.screenshots(browser, "mfa", "signin-sms-en");
            String code = sms.awaitCode(phone, 2);
            await(events, "code_sent", "mfa-sms");

            int before = SecondFactorPages.failures(realm, id);
            SignupPages.enterCode(browser, otherThan(code));
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            Browser.screenshots(browser, "mfa", "signin-sms-wrong-en");
            assertEquals(before + 1, SecondFactorPages.failures(realm, id), "a wrong code counts for brute-force detection");
            await(events, "code_failed", "mfa-sms");

            // (The set-up code never opens a sign-in: SecondFactorAttackIT. A second wrong entry within
            // a second would trip Keycloak's quick-login check, so this test makes only one.)

            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("signed-in"));
            await(events, "code_verified", "mfa-sms");
            assertEquals(2, sms.codesTo(phone).size(), "one code per sign-in, none on reload or wrong entries");
            used = code;

        }

        // A used code is dead: the next sign-in needs its own.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            String next = sms.awaitCode(phone, 3);
            SignupPages.enterCode(browser, used.equals(next) ? otherThan(next) : used);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
            SignupPages.enterCode(browser, next);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void emailFactorIsSetUpAsARequiredActionInSwedishAndAskedAtSignIn() throws Exception {
        String phone = TestUsers.freshPhone();
        String email = TestUsers.freshEmail("email-factor");
        String id = TestUsers.create(realm, null, phone, PASSWORD);
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(SETUP_EMAIL));
        realm.admin().users().get(id).update(rep);

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("sv"), TestUsers.national(phone), PASSWORD);
            assertEquals("Få inloggningskoder via e-post", Browser.pageTitle(browser, "Få inloggningskoder via e-post"));
            Browser.screenshots(browser, "mfa", "setup-email-sv");
            typeContact("inte-en-adress");
            assertEquals("Ogiltig e-postadress.", SignupPages.fieldError(browser, "identifier"));
            Browser.screenshots(browser, "mfa", "setup-email-invalid-sv");

            typeContact(email.toUpperCase());
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            Browser.screenshots(browser, "mfa", "setup-email-code-sv");
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            assertEquals(email, mail.getReceivedMessages()[0].getAllRecipients()[0].toString());
            SignupPages.enterCode(browser, codeInMail(mail.getReceivedMessages()[0]));
            assertEquals("Spara dina återställningskoder", Browser.pageTitle(browser, "Spara dina återställningskoder"));
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertEquals(email, user.getEmail());
        assertTrue(user.isEmailVerified());
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(EMAIL));
        assertEquals("UPDATE_EMAIL", events.await("contact_added").getType());
        assertEquals(EMAIL, TillitEventLog.detail(events.await("second_factor_added"), "credential_type"));

        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("sv"), TestUsers.national(phone), PASSWORD);
            assertEquals("Bekräfta att det är du genom att skriva in den sexsiffriga koden som vi skickade via e-post till " + email + ".",
                    shown(browser));
            Browser.screenshots(browser, "mfa", "signin-email-sv");
            String code = SecondFactorPages.awaitMailCode(mail, 2);
            SignupPages.enterCode(browser, otherThan(code));
            assertEquals("Koden stämmer inte. Kontrollera den och försök igen.", SignupPages.codeError(browser));
            Browser.screenshots(browser, "mfa", "signin-email-wrong-sv");
            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        await(events, "code_verified", "mfa-email");
        assertEquals(0, SecondFactorPages.all(events, "code_sent", "mfa-sms").size(), "the email factor sends no SMS code");
        // Adding an address is an identifier change: withdrawals are locked, and the phone is told so.
        assertEquals(id, events.await("withdrawal_locked").getUserId());
        String notice = sms.await(phone, 1).text();
        assertFalse(notice.matches("(?s).*\\b\\d{6}\\b.*"), notice);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void tryAnotherWaySwitchesBetweenTheFactorsTheUserHas(String locale) throws Exception {
        String email = TestUsers.freshEmail("switch");
        String phone = TestUsers.freshPhone();
        String secret = "TillitTotpSecret" + System.nanoTime();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, secret, SMS, EMAIL);
        boolean sv = "sv".equals(locale);

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, PASSWORD);
            // The first factor the account holds (the authenticator app) comes first; nothing was sent.
            Browser.waitFor(browser, By.id("otp"));
            assertEquals(0, sms.to(phone).size());

            Browser.waitFor(browser, By.id("try-another-way")).click();
            Browser.waitFor(browser, By.cssSelector(".select-auth-box-headline"));
            List<String> offered = browser.findElements(By.cssSelector(".select-auth-box-headline")).stream()
                    .map(e -> e.getText().trim()).toList();
            assertEquals(sv ? List.of("Autentiseringsapplikation", "Kod via sms", "Kod via e-post")
                    : List.of("Authenticator Application", "SMS code", "Email code"), offered);
            Browser.screenshots(browser, "mfa", "choose-factor-" + locale);

            SecondFactorPages.choose(browser, sv ? "Kod via sms" : "SMS code");
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            Browser.screenshots(browser, "mfa", "signin-sms-" + locale);
            String smsCode = sms.awaitCode(phone, 1);

            SecondFactorPages.tryAnotherWay(browser, sv ? "Kod via e-post" : "Email code");
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            Browser.screenshots(browser, "mfa", "signin-email-" + locale);
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            String mailCode = codeInMail(mail.getReceivedMessages()[0]);

            // Each page takes its own channel's code only.
            SignupPages.enterCode(browser, smsCode.equals(mailCode) ? otherThan(mailCode) : smsCode);
            assertTrue(SecondFactorPages.onCodePage(browser));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
            SignupPages.enterCode(browser, mailCode);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertEquals(1, sms.to(phone).size());
        assertEquals(1, mail.getReceivedMessages().length);
    }

    @Test
    void anAccountWithoutASecondFactorIsNotAsked() throws Exception {
        String email = TestUsers.freshEmail("no-factor");
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, email, phone, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        // Sign-in sends on the request thread: once signed in, anything sent has arrived.
        assertEquals(0, sms.to(phone).size());
        assertEquals(0, mail.getReceivedMessages().length);
        assertEquals(0, SecondFactorPages.all(events, "code_sent", "mfa-sms").size()
                + SecondFactorPages.all(events, "code_sent", "mfa-email").size());
    }

    @Test
    void expiredCodeIsRefusedAndAFreshOneWorks() throws Exception {
        int lifetime = 2;
        settings.set("codeLifetimeSeconds", Integer.toString(lifetime)).set("resendCooldownSeconds", "0");
        String email = TestUsers.freshEmail("expired");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String code = sms.awaitCode(phone, 1);
            ServerClock.outliveCode(System.currentTimeMillis(), lifetime);

            SignupPages.enterCode(browser, code);
            assertEquals("That code has expired. Send a new code.", SignupPages.codeError(browser));
            await(events, "code_expired", "mfa-sms");

            // A fresh code, issued with a lifetime long enough to be typed.
            settings.set("codeLifetimeSeconds", "300");
            SignupPages.forceResend(browser);
            String fresh = sms.awaitCode(phone, 2);
            SignupPages.enterCode(browser, fresh);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void reloadingTheCodePageSendsNothingAndTheCodeStillWorks() throws Exception {
        String email = TestUsers.freshEmail("reload");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String code = sms.awaitCode(phone, 1);
            browser.navigate().refresh();
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            assertFalse(browser.getPageSource().contains("Please wait"), "a reload is no resend");
            assertEquals(1, sms.to(phone).size());
            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void theAccountConsoleListsTheFactorsAndRemovingOneLocksWithdrawals() throws Exception {
        String email = TestUsers.freshEmail("console");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);

        // What the account console shows under "Signing in": both factors, with their set-up actions.
        // (A token through the browser: the password grant refuses an account whose factor is an SMS code.)
        String token = SecondFactorPages.browserToken(realm, email, PASSWORD, sms, phone);
        java.net.http.HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(realm.getBaseUrl() + "/account/credentials"))
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listed.statusCode(), listed.body());
        com.fasterxml.jackson.databind.JsonNode types = new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.body());
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byType = new java.util.HashMap<>();
        types.forEach(t -> byType.put(t.get("type").asText(), t));
        assertEquals(SETUP_SMS, byType.get(SMS).get("createAction").asText(), listed.body());
        assertEquals("tillitSmsOtpDisplayName", byType.get(SMS).get("displayName").asText());
        assertEquals(1, byType.get(SMS).get("userCredentialMetadatas").size());
        assertTrue(byType.get(SMS).get("removeable").asBoolean());
        assertEquals(SETUP_EMAIL, byType.get(EMAIL).get("createAction").asText(), listed.body());
        assertEquals(0, byType.get(EMAIL).get("userCredentialMetadatas").size());

        // "Remove" in the account console is Keycloak's delete_credential action.
        String credentialId = realm.admin().users().get(id).credentials().stream()
                .filter(c -> SMS.equals(c.getType())).findFirst().orElseThrow().getId();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null) + "&kc_action=delete_credential:" + credentialId,
                    email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 2)); // the first code got the token above
            Browser.waitFor(browser, By.id("kc-accept"));
            Browser.screenshots(browser, "mfa", "remove-sms-factor-en");
            browser.findElement(By.id("kc-accept")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        // The number stays the account's (sign-in and reset by phone); only the factor is gone.
        assertEquals(List.of(phone), realm.admin().users().get(id).toRepresentation().getAttributes().get("phone_number"));
    }

    private void typeContact(String value) {
        Browser.waitFor(browser, By.id("identifier")).clear();
        browser.findElement(By.id("identifier")).sendKeys(value);
        browser.findElement(By.id("tillit-mfa-setup-submit")).click();
    }

}
