package dev.tillit.keycloak.it.signup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Sign-up by phone and by email, verified by a code, and sign-in with every spelling of the number. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SignupIT {

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

    /** A fresh Swedish mobile number per test: +46 70 1xx xx xx. */
    static String freshNumber() {
        return "+46701" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** {@code +46701234567} → {@code 070-123 45 67}. */
    static String national(String e164) {
        String n = "0" + e164.substring(3);
        return n.substring(0, 3) + "-" + n.substring(3, 6) + " " + n.substring(6, 8) + " " + n.substring(8);
    }

    @Test
    void signUpByPhoneThenSignInWithThreeSpellings() throws Exception {
        String number = freshNumber();
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SignupPages.register(browser, client, "sv", national(number));
            Browser.waitFor(browser, By.id("code"));
            assertTrue(browser.findElement(By.id("tillit-code-recipient")).getText().replace('\u00a0', ' ').contains("+46 ••• ••• " + number.substring(10)));
            Browser.screenshots(browser, "signup", "code-sms-sv");

            SmsSink.Sms message = sms.await(number, 1);
            assertEquals("Bearer " + TillitServerConfig.VAULT_SMS_SECRET, message.authorization(), "secret from the vault");
            assertTrue(message.text().contains("verifieringskod"), "Swedish SMS: " + message.text());
            SignupPages.enterCode(browser, SmsSink.codeIn(message.text()));

            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
            UserRepresentation user = realm.admin().users().get(access.get("sub").asText()).toRepresentation();
            assertEquals(List.of(number), user.getAttributes().get("phone_number"));
            assertEquals(List.of("true"), user.getAttributes().get("phone_number_verified"));
            assertTrue(user.getAttributes().get("terms_accepted").get(0).matches("2026-01@\\d{10}"));
            assertTrue(user.getAttributes().get("privacy_accepted").get(0).matches("2026-01@\\d{10}"));
            assertFalse(user.getUsername().contains(number.substring(3)), "username must not carry the number");
        }

        for (String spelling : List.of(
                "+46 " + number.substring(3, 5) + "-" + number.substring(5, 8) + " " + number.substring(8, 10) + " " + number.substring(10),
                "0046" + number.substring(3),
                national(number))) {
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                browser = Browser.get();
                browser.get(client.authorizationUrl(null));
                Browser.waitFor(browser, By.id("username")).sendKeys(spelling);
                browser.findElement(By.id("password")).sendKeys(SignupPages.PASSWORD);
                browser.findElement(By.id("kc-login")).click();
                Browser.waitFor(browser, By.id("signed-in"));
                assertEquals(number, realm.admin().users().get(DemoWebClient.claims(
                        client.awaitTokens().get("access_token").asText()).get("sub").asText())
                        .toRepresentation().getAttributes().get("phone_number").get(0), spelling);
            }
        }
    }

    @Test
    void signUpByEmailWithTheCodeFromTheMail() throws Exception {
        String email = "new-" + ThreadLocalRandom.current().nextInt(1_000_000) + "@tillit.example";
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SignupPages.register(browser, client, null, email);
            Browser.waitFor(browser, By.id("code"));
            Browser.screenshots(browser, "signup", "code-email-en");

            assertTrue(mail.waitForIncomingEmail(15000, 1));
            MimeMessage message = mail.getLastReceivedMessage();
            assertEquals(email, message.getAllRecipients()[0].toString());
            assertEquals("Your Tillit verification code", message.getSubject());
            String body = String.valueOf(((jakarta.mail.Multipart) message.getContent()).getBodyPart(0).getContent());
            SignupPages.enterCode(browser, SmsSink.codeIn(body));

            Browser.waitFor(browser, By.id("signed-in"));
            UserRepresentation user = realm.admin().users().search(email, true).get(0);
            assertTrue(user.isEmailVerified());
            assertEquals(email, user.getEmail());
        }
    }

    @Test
    void takenNumberGetsTheSameScreensAndItsOwnerANoticeInsteadOfACode() throws Exception {
        String demoNumber = "+46701234567";
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SignupPages.register(browser, client, null, "070-123 45 67");
            String recipient = Browser.textOf(browser, By.id("tillit-code-recipient")).replace('\u00a0', ' ');
            assertEquals("We sent a 6-digit code by text message to +46 ••• ••• 67.", recipient);

            SmsSink.Sms notice = sms.await(demoNumber, 1);
            assertTrue(notice.text().contains("someone tried to create an account"), notice.text());
            assertFalse(notice.text().matches("(?s).*\\b\\d{6}\\b.*"), "a notice carries no code");

            SignupPages.enterCode(browser, "123456");
            assertEquals("That code is not correct. Check it and try again.", SignupPages.codeError(browser));
            assertEquals(1, realm.admin().users().searchByAttributes("phone_number:" + demoNumber).size());
        }
    }

    @Test
    void takenEmailGetsTheSameScreensAndItsOwnerANoticeMail() throws Exception {
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SignupPages.register(browser, client, null, "Demo@Tillit.example");
            assertEquals("We sent a 6-digit code by email to demo@tillit.example.",
                    Browser.textOf(browser, By.id("tillit-code-recipient")));
            assertTrue(mail.waitForIncomingEmail(15000, 1));
            MimeMessage notice = mail.getLastReceivedMessage();
            assertEquals("demo@tillit.example", notice.getAllRecipients()[0].toString());
            assertEquals("Someone tried to create a Tillit account with your email", notice.getSubject());
            String body = String.valueOf(((jakarta.mail.Multipart) notice.getContent()).getBodyPart(0).getContent());
            assertFalse(body.matches("(?s).*\\b\\d{6}\\b.*"), "a notice carries no code");

            SignupPages.enterCode(browser, "123456");
            assertEquals("That code is not correct. Check it and try again.", SignupPages.codeError(browser));
        }
    }

    @Test
    void formErrorsAreLocalisedAndChangeNothing() {
        WebDriver browser = Browser.get();
        String mobile = freshNumber();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
            SignupPages.fill(browser, "08-123 456 78", "Sup3r-Secret!", "Sup3r-Secret!", true, true);
            assertEquals("Det är inte ett mobilnummer. Ange ett nummer som kan ta emot sms.",
                    SignupPages.fieldError(browser, "identifier"));

            // A valid mobile number, but the rest of the form is wrong: nothing may be sent or created.
            SignupPages.fill(browser, national(mobile), "Sup3r-Secret!", "Sup3r-Secret?", false, false);
            assertEquals("Lösenordsbekräftelsen matchar inte.", SignupPages.fieldError(browser, "password-confirm"));
            assertEquals("Godkänn användaravtalet för att skapa ett konto.", SignupPages.fieldError(browser, "acceptTerms"));
            assertEquals("Godkänn integritetspolicyn för att skapa ett konto.", SignupPages.fieldError(browser, "acceptPrivacy"));
            Browser.screenshots(browser, "signup", "register-errors-sv");
            // Sign-up sends on the request thread: with the answer on screen, any SMS would be in the sink.
            assertEquals(0, sms.to(mobile).size(), "no code for a form with errors");
            assertEquals(0, sms.to("+46812345678").size(), "nothing to the landline");
            assertEquals(0, realm.admin().users().searchByAttributes("phone_number:" + mobile).size(), "no account");
            assertEquals(0, realm.admin().users().searchByAttributes("phone_number:+46812345678").size(), "no account");
        }
    }
}
