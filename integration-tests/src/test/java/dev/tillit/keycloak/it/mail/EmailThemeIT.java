package dev.tillit.keycloak.it.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Mail leaves Keycloak over real SMTP (GreenMail) in the Tillit email theme, in the user's language (here: a reset code). */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class EmailThemeIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    @ParameterizedTest
    @CsvSource({
            "en, Your Tillit verification code, You receive this message because of activity on your Tillit account",
            "sv, Din verifieringskod från Tillit, Du får det här meddelandet på grund av aktivitet på ditt Tillit-konto"
    })
    void codeMailUsesTheTillitFrameInTheUsersLanguage(String locale, String subject, String footer) throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl(locale));
            Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
            Browser.waitFor(browser, By.id("identifier")).sendKeys("demo@tillit.example");
            Browser.screenshots(browser, "reset", "forgot-password-" + locale);
            browser.findElement(By.id("tillit-reset-submit")).click();
            Browser.waitFor(browser, By.id("code"));
            Browser.screenshots(browser, "reset", "forgot-password-code-" + locale);
        }

        assertTrue(mail.waitForIncomingEmail(15000, 1), "no mail reached the SMTP server");
        MimeMessage message = mail.getLastReceivedMessage();
        assertEquals("demo@tillit.example", message.getAllRecipients()[0].toString());
        assertEquals(subject, message.getSubject());

        String html = Mails.part(message, "text/html");
        assertTrue(html.contains("TILLIT"), "brand bar missing");
        assertTrue(html.contains(footer), "Tillit footer missing in " + locale + ":\n" + html);
        assertTrue(html.matches("(?s).*id=\"tillit-code\"[^>]*>\\d{6}<.*"), "code missing:\n" + html);
    }

}
