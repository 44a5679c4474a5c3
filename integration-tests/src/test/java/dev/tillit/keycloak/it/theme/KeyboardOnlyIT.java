package dev.tillit.keycloak.it.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The forms done with the keyboard alone, as a user without a mouse (or with a screen reader) does
 * them: Tab to move, Space to tick, Enter to send. Every stop must show where the focus is, and an
 * error must be tied to its field ({@code aria-invalid}, {@code aria-describedby} naming the
 * message) with the focus on that field, so that it is read out.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KeyboardOnlyIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    @Test
    void signInWithTheKeyboardAloneAfterAWrongPassword() throws Exception {
        String email = TestUsers.freshEmail("keys");
        TestUsers.create(realm, email, null, SignupPages.PASSWORD);
        WebDriver browser = Browser.from(Browser.freshIpv4());
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("kc-form-login"));
            Keyboard keys = new Keyboard(browser);

            keys.assertFocusOn("username");
            keys.type(email);
            keys.tabTo("password");
            keys.type("Wrong-Pass1!");
            keys.enter();

            Browser.waitFor(browser, By.id("input-error-username"));
            WebElement field = keys.assertFocusOn("username");
            assertErrorTiedTo(browser, field, "input-error-username");
            Browser.screenshots(browser, "keyboard", "login-error-sv");

            keys.tabTo("password");
            keys.type(SignupPages.PASSWORD);
            keys.enter();
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void signUpByEmailWithTheKeyboardAlone() throws Exception {
        String email = TestUsers.freshEmail("keys-signup");
        WebDriver browser = Browser.from(Browser.freshIpv4());
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.id("kc-form-login"));
            Keyboard keys = new Keyboard(browser);

            keys.tabTo(By.cssSelector("a[href*='/registration']"));
            keys.enter();
            Browser.waitFor(browser, By.id("tillit-register-form"));
            keys.assertFocusOn("identifier");
            keys.type(email);
            keys.tabTo("password");
            keys.type(SignupPages.PASSWORD);
            keys.tabTo("password-confirm");
            keys.type(SignupPages.PASSWORD);
            keys.tabTo("acceptTerms");
            keys.press(Keys.SPACE);
            keys.tabTo("acceptPrivacy");
            keys.press(Keys.SPACE);
            keys.tabTo("tillit-register");
            keys.enter();

            // The code page: the field is focused and offers the phone's one-time-code autofill.
            Browser.waitFor(browser, By.id("tillit-code-form"));
            WebElement code = keys.assertFocusOn("code");
            assertEquals("one-time-code", code.getDomAttribute("autocomplete"));
            assertEquals("numeric", code.getDomAttribute("inputmode"));

            String sent = codeMailedTo(email);
            keys.type(SecondFactorPages.otherThan(sent));
            keys.enter();
            Browser.waitFor(browser, By.id("input-error-code"));
            WebElement refused = keys.assertFocusOn("code");
            assertErrorTiedTo(browser, refused, "input-error-code");
            Browser.screenshots(browser, "keyboard", "code-error-en");

            keys.type(sent);
            keys.enter();
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    @Test
    void passwordResetStartsWithTheKeyboardAlone() {
        WebDriver browser = Browser.from(Browser.freshIpv4());
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("kc-form-login"));
            Keyboard keys = new Keyboard(browser);

            keys.tabTo(By.cssSelector("a[href*='reset-credentials']"));
            keys.enter();
            Browser.waitFor(browser, By.id("identifier"));
            keys.assertFocusOn("identifier");
            keys.type("ingen-" + System.nanoTime() + "@tillit.example");
            keys.enter();

            Browser.waitFor(browser, By.id("tillit-code-form"));
            keys.assertFocusOn("code");
        }
    }

    /** The field says it is invalid, names the message that says why, and the message is a live region. */
    private static void assertErrorTiedTo(WebDriver browser, WebElement field, String messageId) {
        assertEquals("true", field.getDomAttribute("aria-invalid"));
        List<String> describedBy = Arrays.asList(String.valueOf(field.getDomAttribute("aria-describedby")).split("\\s+"));
        assertTrue(describedBy.contains(messageId), "aria-describedby=" + describedBy);
        WebElement message = browser.findElement(By.id(messageId));
        assertFalse(message.getText().isBlank());
        Object live = ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].closest('[aria-live],[role=alert],[role=status]') !== null", message);
        assertEquals(Boolean.TRUE, live, "the message is in a live region");
    }

    private String codeMailedTo(String email) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : mail.getReceivedMessages()) {
                if (email.equals(message.getAllRecipients()[0].toString())) {
                    return SecondFactorPages.codeInMail(message);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no code mailed to " + email);
    }

    /** Keys sent to whatever has the focus, never to an element picked by the test. */
    private static final class Keyboard {

        /** The focused element shows it: an outline or shadow of its own or of the field box around it. */
        private static final String FOCUS_SHOWN = """
                const el = document.activeElement;
                const drawn = (e) => {
                  if (!e) return false;
                  const s = getComputedStyle(e);
                  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
                };
                return el.matches(':focus-visible')
                    && (drawn(el) || drawn(el.closest('.pf-v5-c-form-control')));
                """;

        private final WebDriver browser;

        Keyboard(WebDriver browser) {
            this.browser = browser;
        }

        void type(String text) {
            WebElement focused = browser.switchTo().activeElement();
            new Actions(browser).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(Keys.DELETE)
                    .sendKeys(text).perform();
            assertEquals(text, focused.getDomProperty("value"));
        }

        void press(CharSequence key) {
            new Actions(browser).sendKeys(key).perform();
        }

        void enter() {
            press(Keys.ENTER);
        }

        void tabTo(String id) {
            tabTo(By.id(id));
        }

        /** Presses Tab until the element has the focus; every stop on the way must show its focus. */
        void tabTo(By target) {
            WebElement wanted = browser.findElement(target);
            for (int i = 0; i < 40; i++) {
                press(Keys.TAB);
                WebElement focused = browser.switchTo().activeElement();
                String where = describe(focused);
                assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript(FOCUS_SHOWN),
                        "focus not visible on " + where);
                if (focused.equals(wanted)) {
                    return;
                }
            }
            throw new AssertionError("Tab never reached " + target);
        }

        WebElement assertFocusOn(String id) {
            WebElement focused = browser.switchTo().activeElement();
            assertEquals(id, focused.getDomAttribute("id"), "focus is on " + describe(focused));
            return focused;
        }

        private static String describe(WebElement element) {
            return element.getTagName() + "#" + element.getDomAttribute("id") + " " + element.getText();
        }
    }
}
