package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.Passkeys.RECOVERY_CODES;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SETUP_SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

/**
 * Keycloak's recovery codes in our flows: offered right after the first second factor is set up
 * (SMS code, authenticator app), accepted instead of the second factor at sign-in and in the reset,
 * each code once, and removing them locks withdrawals.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class RecoveryCodesIT extends SmsGatewayTest {

    static final String PASSWORD = "Recover-Passw0rd!";
    static final String WRONG = "That recovery code is not correct. Check the number and try again.";

    @Test
    void codesFollowTheSmsFactorSetUpAndEachWorksOnce() throws Exception {
        String email = TestUsers.freshEmail("recovery");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, null, PASSWORD);
        requireAction(id, SETUP_SMS);

        List<String> codes;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("identifier")).sendKeys(TestUsers.national(phone));
            browser.findElement(By.id("tillit-mfa-setup-submit")).click();
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));

            assertEquals("Save your recovery codes", Browser.pageTitle(browser, "Save your recovery codes"));
            Browser.screenshots(browser, "recovery-codes", "setup-en");
            codes = Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(codes.size() >= 10, "codes: " + codes);
        assertEquals(codes.size(), new HashSet<>(codes).size(), "every code differs");
        assertTrue(SecondFactorPages.credentialTypes(realm, id).containsAll(List.of(SMS, RECOVERY_CODES)));
        assertEquals(id, events.awaitType("UPDATE_CREDENTIAL", "credential_type", RECOVERY_CODES).getUserId());

        // Phone lost: "try another way", a recovery code instead of the SMS code.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            Browser.waitFor(browser, By.id("try-another-way")).click();
            Browser.waitFor(browser, By.xpath("//h2[normalize-space()='Recovery code']"));
            Browser.screenshots(browser, "recovery-codes", "choose-factor-en");
            SecondFactorPages.choose(browser, "Recovery code");
            assertEquals("Recovery code number 1", Passkeys.askedCodeLabel(browser));
            Browser.screenshots(browser, "recovery-codes", "sign-in-en");
            Passkeys.enterRecoveryCode(browser, codes.get(0));
            Browser.waitFor(browser, By.id("signed-in"));
        }

        // A used code is dead; the next one works.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            SecondFactorPages.tryAnotherWay(browser, "Recovery code");
            assertEquals("Recovery code number 2", Passkeys.askedCodeLabel(browser));
            int failures = SecondFactorPages.failures(realm, id);
            Passkeys.enterRecoveryCode(browser, codes.get(0));
            assertEquals(WRONG, Browser.textOf(browser, By.id("input-error-recoveryCodeInput")).trim());
            Browser.screenshots(browser, "recovery-codes", "used-code-refused-en");
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
            assertEquals(failures + 1, SecondFactorPages.failures(realm, id), "a wrong code counts for brute-force detection");
            EventRepresentation refused = events.awaitType("LOGIN_ERROR", "credential_type", RECOVERY_CODES);
            assertEquals("invalid_user_credentials", refused.getError());
            Thread.sleep(1100); // Keycloak's quick-login check: no second failure within a second
            Passkeys.enterRecoveryCode(browser, codes.get(1));
            Browser.waitFor(browser, By.id("signed-in"));
        }

        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("sv"), email, PASSWORD);
            Browser.waitFor(browser, By.id("try-another-way")).click();
            Browser.waitFor(browser, By.xpath("//h2[normalize-space()='Återställningskod']"));
            Browser.screenshots(browser, "recovery-codes", "choose-factor-sv");
            SecondFactorPages.choose(browser, "Återställningskod");
            assertEquals("Återställningskod nummer 3", Passkeys.askedCodeLabel(browser));
            Browser.screenshots(browser, "recovery-codes", "sign-in-sv");
            Passkeys.enterRecoveryCode(browser, codes.get(2));
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void codesFollowTheAuthenticatorAppSetUpInSwedish() throws Exception {
        String email = TestUsers.freshEmail("recovery-totp");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        requireAction(id, "CONFIGURE_TOTP");
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("sv"), email, PASSWORD);
            Browser.waitFor(browser, By.id("totp"));
            String secret = browser.findElement(By.id("totpSecret")).getDomProperty("value");
            browser.findElement(By.id("totp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("saveTOTPBtn")).click();

            assertEquals("Spara dina återställningskoder", Browser.pageTitle(browser, "Spara dina återställningskoder"));
            Browser.screenshots(browser, "recovery-codes", "setup-sv");
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(SecondFactorPages.credentialTypes(realm, id).containsAll(List.of("otp", RECOVERY_CODES)));
    }

    @Test
    void aRecoveryCodeStandsInForTheSecondFactorInTheReset() throws Exception {
        String email = TestUsers.freshEmail("recovery-reset");
        String phone = TestUsers.freshPhone();
        List<String> codes = accountWithSmsAndCodes(email, phone);
        int mails = mail.getReceivedMessages().length;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "en", email);
            Browser.waitFor(browser, By.id("code"));
            assertTrue(mail.waitForIncomingEmail(15000, mails + 1));
            SignupPages.enterCode(browser, SecondFactorPages.codeInMail(mail.getReceivedMessages()[mails]));

            // The second factor is still asked (the SMS code first); the recovery code may stand in.
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            SecondFactorPages.tryAnotherWay(browser, "Recovery code");
            Passkeys.enterRecoveryCode(browser, "0000-0000-0000");
            assertEquals(WRONG, Browser.textOf(browser, By.id("input-error-recoveryCodeInput")).trim());
            assertTrue(!ResetPages.onNewPasswordPage(browser), "no new password without the second factor");
            Thread.sleep(1100);
            Passkeys.enterRecoveryCode(browser, codes.get(0));
            ResetPages.submitNewPassword(browser, "New-Passw0rd?");
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
    }

    @Test
    void removingTheCodesInTheAccountConsoleLocksWithdrawals() throws Exception {
        String email = TestUsers.freshEmail("recovery-remove");
        String phone = TestUsers.freshPhone();
        accountWithSmsAndCodes(email, phone);
        String id = realm.admin().users().searchByEmail(email, true).get(0).getId();
        String credentialId = realm.admin().users().get(id).credentials().stream()
                .filter(c -> RECOVERY_CODES.equals(c.getType())).findFirst().orElseThrow().getId();
        int sent = sms.codesTo(phone).size();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null) + "&kc_action=delete_credential:" + credentialId,
                    email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, sent + 1));
            Browser.waitFor(browser, By.id("kc-accept"));
            browser.findElement(By.id("kc-accept")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(SecondFactorPages.credentialTypes(realm, id).stream().noneMatch(RECOVERY_CODES::equals));
        assertEquals(RECOVERY_CODES, TillitEventLog.detail(events.awaitType("REMOVE_CREDENTIAL", null, null), "credential_type"));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("second_factor_removed", TillitEventLog.detail(locked, "reason"));
    }

    /**
     * An account with an SMS factor (as if set up earlier) that is asked to set up recovery codes at
     * its next sign-in; signs in once (password, SMS code, codes saved) and returns the codes.
     */
    private List<String> accountWithSmsAndCodes(String email, String phone) throws Exception {
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        requireAction(id, "CONFIGURE_RECOVERY_AUTHN_CODES");
        List<String> codes;
        int sent = sms.codesTo(phone).size();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, sent + 1));
            codes = Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        browser = Browser.get();
        return codes;
    }

    private void requireAction(String id, String action) {
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(action));
        realm.admin().users().get(id).update(rep);
    }
}
