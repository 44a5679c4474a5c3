package dev.tillit.keycloak.it.consoles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Keycloak's own consoles show our user-profile attributes in words, in English and Swedish: the
 * account console as a customer who signed up by phone sees it, and the admin console's user page
 * of such a customer (admin/admin in master). Fails on any message key ({@code tillit...},
 * {@code ${...}}) shown as text; screenshots land in target/artifacts/screenshots/consoles/.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class ConsolesIT {

    private static final String PASSWORD = "Console-Passw0rd!";
    /** A message key shown instead of its text: tillitPhoneNumber, ${tillitGroupIdentity}, ... */
    private static final Pattern RAW_KEY = Pattern.compile("\\btillit[A-Z][A-Za-z0-9]*|\\$\\{[^}]*\\}");

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    private RealmRepresentation masterBefore;

    /** The admin console speaks the admin's language only where the master realm offers it. */
    @BeforeEach
    void masterOffersSwedish() {
        masterBefore = admin.realm("master").toRepresentation();
        RealmRepresentation update = new RealmRepresentation();
        update.setInternationalizationEnabled(true);
        update.setSupportedLocales(java.util.Set.of("en", "sv"));
        update.setDefaultLocale("en");
        admin.realm("master").update(update);
    }

    @AfterEach
    void restoreMaster() {
        RealmRepresentation restore = new RealmRepresentation();
        restore.setInternationalizationEnabled(Boolean.TRUE.equals(masterBefore.isInternationalizationEnabled()));
        restore.setSupportedLocales(masterBefore.getSupportedLocales() == null ? java.util.Set.of() : masterBefore.getSupportedLocales());
        restore.setDefaultLocale(masterBefore.getDefaultLocale());
        admin.realm("master").update(restore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void accountConsoleOfANewPhoneCustomer(String locale) {
        String phone = TestUsers.freshPhone();
        String username = phoneSignupUser(phone);

        WebDriver browser = inLanguage(locale);
        browser.get(realm.getBaseUrl() + "/account");
        Browser.waitFor(browser, By.id("username")).sendKeys(TestUsers.national(phone));
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
        Browser.waitFor(browser, By.id("phone_number"));
        awaitSettled(browser);

        String text = visibleText(browser);
        showOurAttributes(browser);
        Browser.screenshots(browser, "consoles", "account-" + locale);
        assertNoRawKeys("account console (" + locale + ")", text);
        assertTrue(text.contains(locale.equals("sv") ? "Mobilnummer" : "Mobile number"), text);
        assertTrue(text.contains(locale.equals("sv") ? "Säkerhet och verifiering" : "Security and verification"), text);
        assertEquals(phone, browser.findElement(By.id("phone_number")).getAttribute("value"));
        // The generated username of a phone sign-up is not part of the customer's profile form.
        assertTrue(browser.findElements(By.id("username")).isEmpty(), "no username field for the customer");
        assertFalse(formValues(browser).contains(username), "the form shows " + username);
        // Nor is it the name in the top-right menu: the customer's own number is (their email when they have one).
        assertFalse(text.contains(username), "the page shows " + username);
        String international = "+46 " + phone.substring(3, 5) + " " + phone.substring(5, 8) + " "
                + phone.substring(8, 10) + " " + phone.substring(10);
        // The masthead renders its user menu after the page's form: wait for it rather than read it once.
        String[] menu = {""};
        try {
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> {
                menu[0] = (String) ((JavascriptExecutor) d).executeScript(
                        "const h = document.querySelector('.pf-v5-c-masthead') || document.querySelector('header');"
                                + " return h ? h.innerText : '';");
                return menu[0].contains(international);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            // Asserted below with what the masthead showed last.
        }
        assertTrue(menu[0].contains(international), "masthead: " + menu[0]);
        assertFalse(menu[0].contains(username), "masthead: " + menu[0]);
        // The lock reads as a date (a read-only date field, UTC); the customer never sees epoch seconds.
        assertEquals(consoleDate(lockedUntil), browser.findElement(By.id("withdrawal_locked_until_utc")).getAttribute("value"));
        assertEquals("datetime-local", browser.findElement(By.id("withdrawal_locked_until_utc")).getAttribute("type"));
        assertTrue(browser.findElements(By.id("withdrawal_locked_until")).isEmpty(), "epoch field shown to the customer");
        assertFalse(text.contains(String.valueOf(lockedUntil)), "epoch seconds on the page");
        // Our brand, not Keycloak's: the masthead logo comes from the tillit account theme.
        String logo = (String) ((JavascriptExecutor) browser).executeScript(
                "const i = document.querySelector('header img, .pf-v5-c-masthead img'); return i ? i.src : '';");
        assertTrue(logo.contains("/account/tillit/img/logo.svg"), "masthead logo: " + logo);
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void adminConsoleUserPageOfAPhoneCustomer(String locale) {
        String phone = TestUsers.freshPhone();
        String username = phoneSignupUser(phone);
        String id = realm.admin().users().search(username, true).get(0).getId();

        WebDriver browser = inLanguage(locale);
        String base = realm.getBaseUrl().replaceFirst("/realms/.*$", "");
        browser.get(base + "/admin/master/console/#/tillit/users/" + id + "/settings");
        Browser.waitFor(browser, By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin");
        browser.findElement(By.id("kc-login")).click();
        Browser.waitFor(browser, By.id("phone_number"));
        awaitSettled(browser);

        String text = visibleText(browser);
        showOurAttributes(browser);
        Browser.screenshots(browser, "consoles", "admin-user-" + locale);
        assertNoRawKeys("admin console user page (" + locale + ")", text);
        assertTrue(text.contains(locale.equals("sv") ? "Uttag spärrade till" : "Withdrawals locked until"), text);
        assertTrue(text.contains(locale.equals("sv") ? "Samtycken" : "Consents"), text);
        assertEquals(phone, browser.findElement(By.id("phone_number")).getAttribute("value"));
        // The admin reads the lock as a date too (and still finds the epoch value, to lift the lock by deleting it).
        assertEquals(consoleDate(lockedUntil), browser.findElement(By.id("withdrawal_locked_until_utc")).getAttribute("value"));
    }

    /** The withdrawal lock (epoch seconds) of the account {@link #phoneSignupUser} made last. */
    private long lockedUntil;

    /** {@code yyyy-MM-ddTHH:mm} in UTC: how the consoles' date field holds the lock's end. */
    private static String consoleDate(long epochSeconds) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
                .format(Instant.ofEpochSecond(epochSeconds).atOffset(java.time.ZoneOffset.UTC));
    }

    /** An account as the phone sign-up leaves it: generated username, verified number, consents, and a lock. */
    private String phoneSignupUser(String phone) {
        StringBuilder name = new StringBuilder("user-");
        for (int i = 0; i < 12; i++) {
            name.append("abcdefghjkmnpqrstuvwxyz23456789".charAt(ThreadLocalRandom.current().nextInt(31)));
        }
        long now = Instant.now().getEpochSecond();
        UserRepresentation user = new UserRepresentation();
        user.setUsername(name.toString());
        user.setEnabled(true);
        Map<String, List<String>> attributes = new HashMap<>();
        attributes.put("phone_number", List.of(phone));
        attributes.put("phone_number_verified", List.of("true"));
        attributes.put("terms_accepted", List.of("2026-01@" + now));
        attributes.put("privacy_accepted", List.of("2026-01@" + now));
        attributes.put("kyc_level", List.of("0"));
        attributes.put("kyc_status", List.of("none"));
        lockedUntil = now + 86_400;
        attributes.put("withdrawal_locked_until", List.of(String.valueOf(lockedUntil)));
        user.setAttributes(attributes);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(PASSWORD);
        credential.setTemporary(false);
        user.setCredentials(List.of(credential));
        try (Response response = realm.admin().users().create(user)) {
            assertEquals(201, response.getStatus(), response.readEntity(String.class));
        }
        return name.toString();
    }

    /** The browser asking for {@code locale} first, as a Swedish or English customer's would. */
    private static WebDriver inLanguage(String locale) {
        ChromeDriver chrome = (ChromeDriver) Browser.get();
        // Leave the previous test's console: a URL differing only in its #fragment would not reload it.
        chrome.get("about:blank");
        chrome.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Accept-Language", locale.equals("sv") ? "sv-SE,sv;q=0.9" : "en-US,en;q=0.9")));
        return chrome;
    }

    /** The consoles load their texts after the form: wait until the page's text stops changing. */
    private static void awaitSettled(WebDriver browser) {
        String[] last = {""};
        new WebDriverWait(browser, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(500)).until(d -> {
            String now = visibleText(d);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same && !now.isBlank();
        });
    }

    /** The consoles scroll inside the page, not the document: bring our attribute groups into the shots. */
    private static void showOurAttributes(WebDriver browser) {
        ((JavascriptExecutor) browser).executeScript(
                "document.getElementById('phone_number').scrollIntoView({block: 'start'})");
    }

    private static String visibleText(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.body.innerText");
    }

    private static String formValues(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('main input, main textarea')).map(e => e.value).join('\\n')");
    }

    private static void assertNoRawKeys(String where, String text) {
        List<String> raw = new ArrayList<>();
        Matcher m = RAW_KEY.matcher(text);
        while (m.find()) {
            raw.add(m.group());
        }
        assertTrue(raw.isEmpty(), where + " shows message keys instead of words: " + raw);
    }
}
