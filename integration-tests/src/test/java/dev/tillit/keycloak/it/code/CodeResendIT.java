package dev.tillit.keycloak.it.code;

import static dev.tillit.keycloak.it.support.SecondFactorPages.EMAIL;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SETUP_EMAIL;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SETUP_SMS;
import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.mail.internet.MimeMessage;
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
import org.openqa.selenium.WebElement;

/**
 * "I did not receive the code": a resend within the code's lifetime sends the same code (so
 * whichever message arrives works), after expiry a new one; the help text on every code page;
 * and reloading or going back never sends another code, for every kind of code step.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class CodeResendIT {

    static final String PASSWORD = "Resend-Passw0rd!";
    static final String WRONG = "That code is not correct. Check it and try again.";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private SmsSink sms;
    private TillitSettingsAdmin settings;
    private DemoWebClient client;
    private WebDriver browser;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
        client = new DemoWebClient(realm.getBaseUrl());
        browser = Browser.get();
    }

    @AfterEach
    void tearDown() {
        client.close();
        settings.close();
        sms.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }

    // ---- Same code within the lifetime, a new one after it ------------------------------------

    @Test
    void resendWithinTheLifetimeSendsTheSameCodeAndEitherMessageWorks() throws Exception {
        settings.set("resendCooldownSeconds", "0");
        String phone = TestUsers.freshPhone();
        SignupPages.register(browser, client, null, TestUsers.national(phone));
        String first = sms.awaitCode(phone, 1);
        SignupPages.forceResend(browser);
        String second = sms.awaitCode(phone, 2);

        assertEquals(first, second, "a resend within the lifetime repeats the code");
        String page = Browser.textOf(browser, By.tagName("body"));
        String masked = "+46 ••• ••• " + phone.substring(phone.length() - 2);
        assertTrue(page.replace('\u00a0', ' ').contains("We sent your code to " + masked + " again. It is the same code"), page);
        Browser.screenshots(browser, "codes", "code-sent-again-en");
        List<EventRepresentation> sent = events.all("code_sent");
        assertEquals(2, sent.size());
        assertEquals(null, TillitEventLog.detail(sent.get(0), "code_repeated"));
        assertEquals("true", TillitEventLog.detail(sent.get(1), "code_repeated"));
        // The message of a resent code tells the time it really has left, never a fresh lifetime.
        assertTrue(sms.to(phone).get(1).text().contains("expires in 5 minutes")
                || sms.to(phone).get(1).text().contains("expires in 4 minutes"), sms.to(phone).get(1).text());

        SignupPages.enterCode(browser, first);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    @Test
    void aResendBuysNoFreshAttempts() throws Exception {
        settings.set("resendCooldownSeconds", "0");
        String phone = TestUsers.freshPhone();
        SignupPages.register(browser, client, null, TestUsers.national(phone));
        String code = sms.awaitCode(phone, 1);
        for (int i = 0; i < 4; i++) {
            SignupPages.enterCode(browser, SecondFactorPages.otherThan(code));
            assertEquals(WRONG, SignupPages.codeError(browser));
        }
        SignupPages.forceResend(browser);
        assertEquals(code, sms.awaitCode(phone, 2));
        SignupPages.enterCode(browser, SecondFactorPages.otherThan(code));
        assertEquals("Too many wrong attempts. Send a new code.", SignupPages.codeError(browser));
        SignupPages.enterCode(browser, code);
        assertEquals("Too many wrong attempts. Send a new code.", SignupPages.codeError(browser));
        events.await("code_too_many_attempts");

        // The dead code is never sent again: the next resend issues a new one, which works.
        SignupPages.forceResend(browser);
        String fresh = sms.awaitCode(phone, 3);
        SignupPages.enterCode(browser, fresh);
        Browser.waitFor(browser, By.id("signed-in"));
        assertEquals(1, realm.admin().users().searchByAttributes("phone_number:" + phone).size());
    }

    @Test
    void resendAfterExpiryIssuesANewCodeAndTheOldOneStaysDead() throws Exception {
        int lifetime = 2;
        settings.set("resendCooldownSeconds", "0").set("codeLifetimeSeconds", Integer.toString(lifetime));
        String phone = TestUsers.freshPhone();
        SignupPages.register(browser, client, null, TestUsers.national(phone));
        String first = sms.awaitCode(phone, 1);
        ServerClock.outliveCode(System.currentTimeMillis(), lifetime);

        settings.set("codeLifetimeSeconds", "300");
        SignupPages.forceResend(browser);
        String second = sms.awaitCode(phone, 2);
        assertNotEquals(first, second, "an expired code is never sent again");
        assertTrue(browser.getPageSource().contains("A new code was sent to"), "the page says it is a new code");
        assertEquals(null, TillitEventLog.detail(events.all("code_sent").get(1), "code_repeated"));

        SignupPages.enterCode(browser, first);
        assertEquals(WRONG, SignupPages.codeError(browser));
        SignupPages.enterCode(browser, second);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    // ---- Help text -----------------------------------------------------------------------------

    @Test
    void helpTextForSmsNamesTheSupportAddressWhenOneIsSet() throws Exception {
        settings.set("supportEmail", "help@tillit.example");
        String phone = TestUsers.freshPhone();
        SignupPages.register(browser, client, "en", TestUsers.national(phone));
        sms.awaitCode(phone, 1);
        openHelp();
        String help = Browser.textOf(browser, By.id("tillit-code-help"));
        assertTrue(help.contains("Wait a minute before asking again."), help);
        assertTrue(help.contains("not blocking or filtering messages from unknown senders"), help);
        assertTrue(help.contains("Asking again sends the same code while it is still valid"), help);
        assertTrue(help.contains("Still nothing? Contact our support at help@tillit.example."), help);
        assertEquals("mailto:help@tillit.example",
                browser.findElement(By.cssSelector("#tillit-code-support a")).getDomAttribute("href"));
        Browser.screenshots(browser, "codes", "code-help-sms-en");
    }

    @Test
    void helpTextForEmailInSwedishWithoutASupportAddress() throws Exception {
        String email = TestUsers.freshEmail("help");
        SignupPages.register(browser, client, "sv", email);
        assertTrue(mail.waitForIncomingEmail(15000, 1));
        // Before it is opened the help takes one line; opened, it lists what to try.
        Browser.screenshots(browser, "codes", "code-help-closed-sv");
        openHelp();
        String help = Browser.textOf(browser, By.id("tillit-code-help"));
        assertTrue(help.startsWith("Fick du ingen kod?"), help);
        assertTrue(help.contains("Titta i skräppostmappen"), help);
        assertTrue(help.contains("samma kod"), help);
        assertTrue(browser.findElements(By.id("tillit-code-support")).isEmpty(), "no support line without an address");
        Browser.screenshots(browser, "codes", "code-help-email-sv");
    }

    @Test
    void aSupportAddressThatIsNotOneEmailAddressIsRefused() {
        jakarta.ws.rs.BadRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(
                jakarta.ws.rs.BadRequestException.class,
                () -> settings.set("supportEmail", "help@tillit.example, evil@x.example"));
        assertTrue(refused.getResponse().readEntity(String.class).contains("must be one email address"));
    }

    // ---- Reload and back never send ------------------------------------------------------------

    @Test
    void signUpReloadAndBackSendNothing() throws Exception {
        String phone = TestUsers.freshPhone();
        SignupPages.register(browser, client, null, TestUsers.national(phone));
        String code = sms.awaitCode(phone, 1);
        reloadAndBack();
        assertEquals(1, sms.to(phone).size());
        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("signed-in"));
        assertEquals(1, events.all("code_sent").size());
    }

    @Test
    void resetReloadAndBackSendNothing() throws Exception {
        String email = TestUsers.freshEmail("reset-reload");
        TestUsers.create(realm, email, null, PASSWORD);
        ResetPages.start(browser, client, null, email);
        Browser.waitFor(browser, By.id("tillit-code-form"));
        String code = SecondFactorPages.awaitMailCode(mail, 1);
        reloadAndBack();
        // The reset hands its mail over after answering, on a pool that keeps no order: no later mail
        // can mark the end, so a stray send is given a bounded time to arrive.
        ServerClock.letBackgroundDeliveriesArrive();
        assertEquals(1, mailsTo(email));
        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("password-new"));
        assertEquals(1, events.all("code_sent").size());
    }

    @Test
    void smsSecondFactorReloadAndBackSendNothing() throws Exception {
        String email = TestUsers.freshEmail("sms-reload");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
        String code = sms.awaitCode(phone, 1);
        reloadAndBack();
        assertEquals(1, sms.to(phone).size());
        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    @Test
    void emailSecondFactorReloadAndBackSendNothing() throws Exception {
        String email = TestUsers.freshEmail("email-reload");
        SecondFactorPages.createUser(realm, email, null, PASSWORD, null, EMAIL);
        SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
        String code = SecondFactorPages.awaitMailCode(mail, 1);
        reloadAndBack();
        assertEquals(1, mailsTo(email));
        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    @Test
    void smsSetUpReloadAndBackSendNothing() throws Exception {
        String email = TestUsers.freshEmail("sms-setup-reload");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, null, PASSWORD);
        SecondFactorPages.signIn(browser, client.authorizationUrl("en") + "&kc_action=" + SETUP_SMS, email, PASSWORD);
        Browser.waitFor(browser, By.id("identifier")).sendKeys(TestUsers.national(phone));
        browser.findElement(By.id("tillit-mfa-setup-submit")).click();
        String code = sms.awaitCode(phone, 1);
        reloadAndBack();
        assertEquals(1, sms.to(phone).size());
        SignupPages.enterCode(browser, code);
        // The first second factor set up is followed by Keycloak's recovery codes.
        Passkeys.saveRecoveryCodes(browser);
        Browser.waitFor(browser, By.id("signed-in"));
        assertTrue(SecondFactorPages.credentialTypes(realm, id).contains(SMS));
    }

    @Test
    void emailSetUpReloadAndBackSendNothing() throws Exception {
        String phone = TestUsers.freshPhone();
        String email = TestUsers.freshEmail("email-setup-reload");
        String id = TestUsers.create(realm, null, phone, PASSWORD);
        SecondFactorPages.signIn(browser, client.authorizationUrl("en") + "&kc_action=" + SETUP_EMAIL,
                TestUsers.national(phone), PASSWORD);
        Browser.waitFor(browser, By.id("identifier")).sendKeys(email);
        browser.findElement(By.id("tillit-mfa-setup-submit")).click();
        String code = SecondFactorPages.awaitMailCode(mail, 1);
        reloadAndBack();
        assertEquals(1, mailsTo(email));
        SignupPages.enterCode(browser, code);
        // The first second factor set up is followed by Keycloak's recovery codes.
        Passkeys.saveRecoveryCodes(browser);
        Browser.waitFor(browser, By.id("signed-in"));
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertEquals(email, user.getEmail());
    }

    /**
     * Reload, the back button, and the code page's address opened afresh (a GET of the step, as
     * after "back" then "forward"): each shows a page and sends nothing; the code page comes back.
     */
    private void reloadAndBack() throws InterruptedException {
        Browser.waitFor(browser, By.id("tillit-code-form"));
        String codePage = browser.getCurrentUrl();
        browser.navigate().refresh();
        Browser.waitFor(browser, By.id("tillit-code-form"));
        assertTrue(!browser.getPageSource().contains("Please wait"), "a reload is no resend");
        WebElement shown = browser.findElement(By.tagName("html"));
        browser.navigate().back();
        // The earlier page has replaced the code page (its request was answered) before going forward.
        Browser.awaitGone(browser, shown, Duration.ofSeconds(15));
        Browser.waitFor(browser, By.cssSelector("body"));
        browser.get(codePage);
        Browser.waitFor(browser, By.id("tillit-code-form"));
        assertTrue(!browser.getPageSource().contains("Please wait"), "coming back is no resend");
    }

    private void openHelp() {
        Browser.waitFor(browser, By.cssSelector("#tillit-code-help summary")).click();
    }

    private int mailsTo(String address) throws Exception {
        int n = 0;
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address))) {
                n++;
            }
        }
        return n;
    }
}
