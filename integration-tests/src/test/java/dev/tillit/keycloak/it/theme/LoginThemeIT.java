package dev.tillit.keycloak.it.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The demo realm's login page in real Chromium: our theme, both languages, a real sign-in. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class LoginThemeIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @Test
    void loginPageRendersTillitThemeInEnglish() {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.id("kc-form-login"));

            assertEquals("en", browser.findElement(By.tagName("html")).getDomAttribute("lang"));
            assertEquals("Sign in to Tillit", browser.findElement(By.id("kc-page-title")).getText());
            assertTrue(browser.findElement(By.id("tillit-security-notice")).getText()
                    .startsWith("Tillit will never ask for your password"));
            assertThemeStylesheetLoaded(browser);
            Browser.screenshots(browser, "login", "login-en");
        }
    }

    @Test
    void loginPageRendersTillitThemeInSwedish() {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("kc-form-login"));

            assertEquals("sv", browser.findElement(By.tagName("html")).getDomAttribute("lang"));
            assertEquals("Logga in på Tillit", browser.findElement(By.id("kc-page-title")).getText());
            assertTrue(browser.findElement(By.id("tillit-security-notice")).getText()
                    .startsWith("Tillit ber dig aldrig om ditt lösenord"));
            // Keycloak's own Swedish texts come through the parent theme.
            assertEquals("Lösenord", browser.findElement(By.cssSelector("label[for=password]")).getText().trim());
            assertThemeStylesheetLoaded(browser);
            Browser.screenshots(browser, "login", "login-sv");
        }
    }

    @Test
    void pagesFitA360PixelPhoneWithoutSidewaysScrolling() {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 740));
            for (String page : new String[] {"login", "registration"}) {
                browser.get(client.authorizationUrl("sv"));
                if (page.equals("registration")) {
                    Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
                    Browser.waitFor(browser, By.id("identifier"));
                } else {
                    Browser.waitFor(browser, By.id("kc-form-login"));
                }
                Number overflow = (Number) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertEquals(0, overflow.intValue(), page + " scrolls sideways at 360 px");
            }
        }
    }

    @Test
    void languageMenuSwitchesToSwedishWithKcLocale() {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.id("kc-form-login"));
            // The language menu is a list of login-page URLs carrying Keycloak's kc_locale parameter.
            String swedish = browser.findElement(By.cssSelector("#login-select-toggle option[value*='kc_locale=sv']"))
                    .getDomAttribute("value");
            browser.get(realm.getBaseUrl().replaceAll("/realms/.*$", "") + swedish.replace("&amp;", "&"));

            assertEquals("Logga in på Tillit", Browser.pageTitle(browser, "Logga in på Tillit"));
            assertEquals("sv", browser.findElement(By.tagName("html")).getDomAttribute("lang"));
        }
    }

    @Test
    void demoUserSignsInAndTheClientReceivesTokens() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.id("username")).sendKeys("demo@tillit.example");
            browser.findElement(By.id("password")).sendKeys("Tillit-Demo1!");
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("signed-in"));

            JsonNode tokens = client.awaitTokens();
            assertEquals("Bearer", tokens.get("token_type").asText());
            JsonNode access = DemoWebClient.claims(tokens.get("access_token").asText());
            assertEquals("demo", access.get("preferred_username").asText());
            assertEquals(DemoWebClient.CLIENT_ID, access.get("azp").asText());
            assertTrue(access.get("iss").asText().endsWith("/realms/tillit"));
            JsonNode id = DemoWebClient.claims(tokens.get("id_token").asText());
            assertEquals("demo@tillit.example", id.get("email").asText());
            assertNotNull(tokens.get("refresh_token"));
        }
    }

    @Test
    void wrongPasswordIsRefusedWithALocalisedMessage() {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver browser = Browser.get();
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("username")).sendKeys("demo@tillit.example");
            browser.findElement(By.id("password")).sendKeys("not-the-password");
            browser.findElement(By.id("kc-login")).click();

            String error = Browser.textOf(browser, By.id("input-error-username"));
            assertEquals("Ogiltig e-post, ogiltigt mobilnummer eller lösenord.", error);
            Browser.screenshots(browser, "login", "login-error-sv");
        }
    }

    private static void assertThemeStylesheetLoaded(WebDriver browser) {
        assertTrue(browser.findElements(By.cssSelector("link[rel=stylesheet]")).stream()
                        .anyMatch(l -> l.getDomAttribute("href").endsWith("/login/tillit/css/tillit.css")),
                "tillit.css not linked");
        // The brand variable resolves only when our stylesheet was actually served.
        String brand = (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(document.documentElement).getPropertyValue('--tillit-brand').trim()");
        assertEquals("#0b6e4f", brand);
    }
}
