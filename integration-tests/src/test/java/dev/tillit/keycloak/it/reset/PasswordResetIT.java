package dev.tillit.keycloak.it.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.Totp;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** "Forgot your password?" by email and by phone, end to end in Chromium, and what must follow a reset. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PasswordResetIT {

    private static final String OLD_PASSWORD = "Old-Passw0rd!";
    private static final String NEW_PASSWORD = "New-Passw0rd?";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private SmsSink sms;
    private TillitSettingsAdmin settings;

    @BeforeEach
    void gateway() {
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
    }

    @AfterEach
    void restore() {
        settings.close();
        sms.close();
    }

    @Test
    void resetByEmailEndsSessionsAndLocksWithdrawals() throws Exception {
        String email = TestUsers.freshEmail("reset");
        TestUsers.create(realm, email, null, OLD_PASSWORD);
        String oldRefresh = TestUsers.json(TestUsers.passwordGrant(realm, email, OLD_PASSWORD)).get("refresh_token").asText();

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            startReset(browser, client, "en", email);
            assertEquals("If an account exists for " + email + ", we have sent it a 6-digit code.",
                    browser.findElement(By.id("tillit-code-recipient")).getText());
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            enterCode(browser, codeFrom(mail.getLastReceivedMessage()));

            Browser.waitFor(browser, By.id("password-new"));
            Browser.screenshots(browser, "reset", "new-password-en");
            submitNewPassword(browser, "Sh0rt!A", "Sh0rt!A");
            assertEquals("The password must be at least 8 characters long.",
                    Browser.textOf(browser, By.id("input-error-password-new")).trim());

            submitNewPassword(browser, NEW_PASSWORD, NEW_PASSWORD);
            Browser.waitFor(browser, By.id("tillit-reset-done"));
            assertTrue(browser.findElement(By.id("tillit-withdrawal-lock")).getText()
                    .matches("For your security, withdrawals are locked until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\."));
            Browser.screenshots(browser, "reset", "reset-done-en");
            assertTrue(browser.findElement(By.id("tillit-back-to-sign-in")).isDisplayed());
        }

        // Sessions from before the reset are dead.
        HttpResponse<String> refreshed = TestUsers.refresh(realm, oldRefresh);
        assertEquals(400, refreshed.statusCode(), refreshed.body());
        assertEquals(400, TestUsers.passwordGrant(realm, email, OLD_PASSWORD).statusCode());

        // A fresh token carries the lock, about 24 h ahead.
        JsonNode tokens = TestUsers.json(TestUsers.passwordGrant(realm, email, NEW_PASSWORD));
        long lockedUntil = DemoWebClient.claims(tokens.get("access_token").asText()).get("withdrawal_locked_until").asLong();
        long expected = Instant.now().getEpochSecond() + 24 * 3600;
        assertTrue(Math.abs(lockedUntil - expected) < 300, "locked until " + lockedUntil + ", expected ~" + expected);

        // The user is told, by email, until when.
        assertTrue(mail.waitForIncomingEmail(15000, 2));
        MimeMessage notice = mail.getReceivedMessages()[1];
        assertEquals("Withdrawals from your Tillit account are locked", notice.getSubject());
        assertTrue(String.valueOf(((Multipart) notice.getContent()).getBodyPart(0).getContent())
                .contains("withdrawals are locked until"));
    }

    @Test
    void resetByPhoneInSwedish() throws Exception {
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, null, phone, OLD_PASSWORD);

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            startReset(browser, client, "sv", "0" + phone.substring(3));
            Browser.screenshots(browser, "reset", "reset-code-sms-sv");
            enterCode(browser, SmsSink.codeIn(sms.await(phone, 1).text()));
            submitNewPassword(browser, NEW_PASSWORD, NEW_PASSWORD);
            assertEquals("Ditt lösenord har återställts", Browser.pageTitle(browser, "Ditt lösenord har återställts"));
            Browser.screenshots(browser, "reset", "reset-done-sv");
        }
        SmsSink.Sms notice = sms.await(phone, 2);
        assertTrue(notice.text().contains("uttag spärrade till"), notice.text());
        assertEquals(200, TestUsers.passwordGrant(realm, "0" + phone.substring(3), NEW_PASSWORD).statusCode());
    }

    @Test
    void resetNeverBypassesAConfiguredSecondFactor() throws Exception {
        String email = TestUsers.freshEmail("totp");
        String secret = "TillitTotpSecret" + System.nanoTime();
        TestUsers.create(realm, email, null, OLD_PASSWORD, secret);

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            startReset(browser, client, null, email);
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            enterCode(browser, codeFrom(mail.getLastReceivedMessage()));

            // The code proved the mailbox; the authenticator app must still be proved.
            Browser.waitFor(browser, By.id("otp")).sendKeys("000000".equals(Totp.now(secret)) ? "111111" : "000000");
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("input-error-otp"));
            assertTrue(browser.findElements(By.id("password-new")).isEmpty(), "no new password without the second factor");
            Browser.screenshots(browser, "reset", "reset-otp-wrong-en");

            browser.findElement(By.id("otp")).clear();
            browser.findElement(By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            submitNewPassword(browser, NEW_PASSWORD, NEW_PASSWORD);
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
    }

    @Test
    void unknownIdentifierGetsTheSamePageAndNothingIsSent() throws Exception {
        settings.set("resetResponseFloorMillis", "1500"); // the product's default, which the suite's realm lifts
        String known = TestUsers.freshEmail("known");
        TestUsers.create(realm, known, null, OLD_PASSWORD);
        String unknown = TestUsers.freshEmail("nobody");
        WebDriver browser = Browser.get();

        long[] millis = new long[2];
        String[] pages = new String[2];
        String[] identifiers = {unknown, known};
        for (int i = 0; i < 2; i++) {
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                browser = Browser.get();
                browser.get(client.authorizationUrl(null));
                Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
                Browser.waitFor(browser, By.id("identifier")).sendKeys(identifiers[i]);
                long start = System.nanoTime();
                browser.findElement(By.id("tillit-reset-submit")).click();
                Browser.waitFor(browser, By.id("code"));
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                pages[i] = browser.findElement(By.id("kc-page-title")).getText() + "|"
                        + browser.findElement(By.id("tillit-code-recipient")).getText().replace(identifiers[i], "<id>");
            }
        }
        assertEquals(pages[1], pages[0]);
        // Both answers wait for the configured floor (1.5 s), so the gateway's latency cannot tell them apart.
        assertTrue(millis[0] >= 1400 && millis[1] >= 1400, millis[0] + " ms / " + millis[1] + " ms");
        assertTrue(mail.waitForIncomingEmail(10000, 1));
        assertEquals(1, mail.getReceivedMessages().length, "only the real account got a code");
        assertEquals(known, mail.getReceivedMessages()[0].getAllRecipients()[0].toString());

        enterCode(browser, "123456");
        assertEquals("That code is not correct. Check it and try again.",
                Browser.textOf(browser, By.id("input-error-code")).trim());
    }

    private static void startReset(WebDriver browser, DemoWebClient client, String locale, String identifier) {
        browser.get(client.authorizationUrl(locale));
        Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
        Browser.waitFor(browser, By.id("identifier")).sendKeys(identifier);
        browser.findElement(By.id("tillit-reset-submit")).click();
        Browser.waitFor(browser, By.id("code"));
    }

    private static void enterCode(WebDriver browser, String code) {
        Browser.waitFor(browser, By.id("code")).sendKeys(code);
        browser.findElement(By.id("tillit-code-submit")).click();
    }

    private static void submitNewPassword(WebDriver browser, String password, String confirm) {
        Browser.waitFor(browser, By.id("password-new")).clear();
        browser.findElement(By.id("password-new")).sendKeys(password);
        browser.findElement(By.id("password-confirm")).clear();
        browser.findElement(By.id("password-confirm")).sendKeys(confirm);
        org.openqa.selenium.WebElement submit = browser.findElement(By.id("tillit-new-password-submit"));
        submit.click();
        // The answer page, not this one: its title would otherwise be read as it goes stale.
        Browser.pastBotCheck(browser, submit);
    }

    private static String codeFrom(MimeMessage message) throws Exception {
        return SmsSink.codeIn(String.valueOf(((Multipart) message.getContent()).getBodyPart(0).getContent()));
    }
}
