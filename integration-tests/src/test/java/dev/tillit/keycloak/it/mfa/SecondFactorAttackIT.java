package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.EMAIL;
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
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;

/**
 * The SMS and email second factors tried as an attacker would (another account's code, the
 * set-up step's code, starting over mid-flow, a number that belongs to someone else), and the
 * reset flow, which asks the second factor the account has.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SecondFactorAttackIT extends SmsGatewayTest {

    private static final String PASSWORD = "Mfa-Passw0rd!";
    private static final String NEW_PASSWORD = "New-Passw0rd?";
    private static final String WRONG_CODE = "That code is not correct. Check it and try again.";

    @Test
    void myCodeNeverOpensAnotherAccount() throws Exception {
        String attackerEmail = TestUsers.freshEmail("attacker");
        String attackerPhone = TestUsers.freshPhone();
        String victimEmail = TestUsers.freshEmail("victim");
        String victimPhone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, attackerEmail, attackerPhone, PASSWORD, null, SMS);
        String victim = SecondFactorPages.createUser(realm, victimEmail, victimPhone, PASSWORD, null, SMS);

        String mine;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), attackerEmail, PASSWORD);
            mine = sms.awaitCode(attackerPhone, 1);
        }
        // The attacker knows the victim's password, but not the code on the victim's phone.
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), victimEmail, PASSWORD);
            String victims = sms.awaitCode(victimPhone, 1);
            SignupPages.enterCode(browser, mine.equals(victims) ? otherThan(victims) : mine);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
        }
        await(events, "code_failed", "mfa-sms");
        assertEquals(1, SecondFactorPages.failures(realm, victim));
    }

    @Test
    void whileBruteForceDetectionLocksTheAccountNoCodeIsCompared() throws Exception {
        String email = TestUsers.freshEmail("locked");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String code = sms.awaitCode(phone, 1);

            // Meanwhile someone guesses the password elsewhere until Keycloak locks the account.
            for (int i = 0; i < 5; i++) {
                TestUsers.passwordGrant(realm, email, "Wrong-Passw0rd!" + i);
            }
            assertEquals(Boolean.TRUE, realm.admin().attackDetection().bruteForceUserStatus(id).get("disabled"));

            SignupPages.enterCode(browser, code);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty(), "not even the right code while locked");
            assertTrue(SecondFactorPages.all(events, "code_verified", "mfa-sms").isEmpty());

            // Once the lock is lifted, the same code (never compared) still works.
            realm.admin().attackDetection().clearBruteForceForUser(id);
            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void aCodeFromTheSetUpStepDoesNotOpenASignIn() throws Exception {
        String email = TestUsers.freshEmail("setup-code");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(SETUP_SMS));
        realm.admin().users().get(id).update(rep);

        String setupCode;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            // The account's verified number is the factor's: set-up sends there at once, and
            // offers no way to type another number.
            assertEquals("To turn on sign-in codes by SMS, enter the 6-digit code we sent to +46 ••• ••• "
                    + phone.substring(phone.length() - 2) + ".", shown(browser));
            assertTrue(browser.findElements(By.id("tillit-restart")).isEmpty());
            setupCode = sms.awaitCode(phone, 2);
            await(events, "code_sent", "mfa-setup-sms");
        }
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String code = sms.awaitCode(phone, 3);
            SignupPages.enterCode(browser, setupCode.equals(code) ? otherThan(code) : setupCode);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertTrue(SecondFactorPages.onCodePage(browser));
            await(events, "code_failed", "mfa-sms");
        }
    }

    @Test
    void startingOverMidFlowVoidsTheCode() throws Exception {
        settings.set("resendCooldownSeconds", "0");
        String email = TestUsers.freshEmail("restart");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String first = sms.awaitCode(phone, 1);

            SecondFactorPages.forceRestart(browser);
            events.await("code_step_restarted");
            String second = sms.awaitCode(phone, 2);
            assertFalse(first.equals(second), "a new code after starting over");

            SignupPages.enterCode(browser, first);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            SignupPages.enterCode(browser, second);
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void startingOverWithinTheCooldownSendsNothingAndLeavesNoLiveCode() throws Exception {
        String email = TestUsers.freshEmail("restart-cooldown");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String first = sms.awaitCode(phone, 1);

            SecondFactorPages.forceRestart(browser);
            assertTrue(SignupPages.codeError(browser).matches("Please wait \\d+ seconds before asking for a new code\\."),
                    SignupPages.codeError(browser));
            assertEquals(1, sms.to(phone).size(), "nothing sent within the cooldown");
            SignupPages.enterCode(browser, first);
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty(), "the code from before starting over is void");
        }
    }

    @Test
    void aNumberOfAnotherAccountGetsTheSamePagesAndNoCode() throws Exception {
        String taken = TestUsers.freshPhone();
        TestUsers.create(realm, null, taken, PASSWORD);
        String email = TestUsers.freshEmail("taken-number");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null) + "&kc_action=" + SETUP_SMS, email, PASSWORD);
            Browser.waitFor(browser, By.id("identifier")).sendKeys(TestUsers.national(taken));
            browser.findElement(By.id("tillit-mfa-setup-submit")).click();
            Browser.waitFor(browser, By.id("tillit-code-recipient"));
            SignupPages.enterCode(browser, "123456");
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
        }
        // The setup answers on the request thread: nothing went to the other account's phone.
        assertEquals(0, sms.to(taken).size());
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertTrue(user.getAttributes() == null || !user.getAttributes().containsKey("phone_number"));
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
    }

    @Test
    void resetOfAnEmailAccountAsksItsSmsFactor() throws Exception {
        String email = TestUsers.freshEmail("reset-sms");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "en", email);
            Browser.waitFor(browser, By.id("code"));
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            SignupPages.enterCode(browser, codeInMail(mail.getReceivedMessages()[0]));

            // The mailbox is proved; the phone must be too.
            assertEquals("To confirm it is you, enter the 6-digit code we sent by text message to +46 ••• ••• "
                    + phone.substring(phone.length() - 2) + ".", shown(browser));
            Browser.screenshots(browser, "mfa", "reset-sms-factor-en");
            String code = sms.awaitCode(phone, 1);
            SignupPages.enterCode(browser, otherThan(code));
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertFalse(ResetPages.onNewPasswordPage(browser), "no new password without the second factor");

            SignupPages.enterCode(browser, code);
            ResetPages.submitNewPassword(browser, NEW_PASSWORD);
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
        await(events, "code_verified", "mfa-sms");
        // The new password is the one that counts; the app's password grant then asks for an SMS
        // code, as for every account whose second factor is an SMS code.
        assertTrue(TestUsers.passwordGrant(realm, email, NEW_PASSWORD).body().contains("\"mfa_required\""));
        assertTrue(TestUsers.passwordGrant(realm, email, PASSWORD).body().contains("Invalid user credentials"));
    }

    @Test
    void resetOfAPhoneAccountAsksItsEmailFactorInSwedish() throws Exception {
        String email = TestUsers.freshEmail("reset-email");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, EMAIL);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "sv", TestUsers.national(phone));
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));

            assertEquals("Bekräfta att det är du genom att skriva in den sexsiffriga koden som vi skickade via e-post till " + email + ".",
                    shown(browser));
            Browser.screenshots(browser, "mfa", "reset-email-factor-sv");
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            assertFalse(ResetPages.onNewPasswordPage(browser));
            SignupPages.enterCode(browser, codeInMail(mail.getReceivedMessages()[0]));
            ResetPages.submitNewPassword(browser, NEW_PASSWORD);
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
        await(events, "code_verified", "mfa-email");
    }
}
