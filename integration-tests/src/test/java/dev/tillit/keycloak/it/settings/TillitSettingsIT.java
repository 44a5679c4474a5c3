package dev.tillit.keycloak.it.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.Artifacts;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.ComponentTypeRepresentation;
import org.keycloak.representations.idm.ConfigPropertyRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The realm's "Tillit" tab as an admin meets it: saved through the admin REST API exactly as the
 * admin console saves it, and seen in the admin console itself (Chromium, screenshots under
 * screenshots/admin/). The suite's server runs {@code start-dev}, i.e. development mode.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class TillitSettingsIT {

    private static final String TAB_PROVIDER = "org.keycloak.services.ui.extend.UiTabProvider";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    private TillitSettingsAdmin settings;

    @BeforeEach
    void setUp() {
        settings = new TillitSettingsAdmin(realm.admin());
    }

    @AfterEach
    void tearDown() {
        settings.close();
    }

    private ComponentRepresentation component() {
        return realm.admin().components().query(null, TAB_PROVIDER).stream()
                .filter(c -> "tillit-settings".equals(c.getProviderId())).findFirst().orElseThrow();
    }

    private String refusal(String key, String value) {
        ComponentRepresentation c = component();
        c.getConfig().putSingle(key, value);
        BadRequestException refused = assertThrows(BadRequestException.class,
                () -> realm.admin().components().component(c.getId()).update(c));
        return refused.getResponse().readEntity(String.class);
    }

    @Test
    void anOutOfRangeValueIsRefusedWithItsRangeAndNotStored() {
        String before = component().getConfig().getFirst("codeLifetimeSeconds");
        assertEquals("300", before);

        String answer = refusal("codeLifetimeSeconds", "0");
        assertTrue(answer.contains("Code lifetime (seconds)") && answer.contains("codeLifetimeSeconds")
                && answer.contains("from 1 to 3600"), answer);
        assertEquals(before, component().getConfig().getFirst("codeLifetimeSeconds"));

        answer = refusal("smsAllowedCountries", "Sweden");
        assertTrue(answer.contains("smsAllowedCountries") && answer.contains("ISO 3166"), answer);
        answer = refusal("smsGateway", "carrier-pigeon");
        assertTrue(answer.contains("[console, http, twilio]"), answer);
        assertEquals("SE,NO,DK,FI", component().getConfig().getFirst("smsAllowedCountries"));
        assertEquals("console", component().getConfig().getFirst("smsGateway"));
    }

    @Test
    void aSecondSetOfSettingsIsRefused() {
        ComponentRepresentation second = new ComponentRepresentation();
        second.setName("Tillit 2");
        second.setProviderId("tillit-settings");
        second.setProviderType(TAB_PROVIDER);
        second.setParentId(realm.admin().toRepresentation().getId());
        second.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>());
        try (var response = realm.admin().components().add(second)) {
            assertEquals(400, response.getStatus());
            assertTrue(response.readEntity(String.class).contains("already has Tillit settings"));
        }
        assertEquals(1, realm.admin().components().query(null, TAB_PROVIDER).size());
    }

    @Test
    void plainSecretsAndHttpUrlsAreAcceptedInDevelopmentMode() {
        // start-dev: the demo's conveniences work. Outside it both are refused (TillitSettingTest).
        settings.set("smsGateway", "http").set("smsUrl", "http://localhost:3999/sms").set("smsSecret", "plain-dev-secret");
        ComponentRepresentation stored = component();
        assertEquals("http://localhost:3999/sms", stored.getConfig().getFirst("smsUrl"));
        assertEquals("**********", stored.getConfig().getFirst("smsSecret"), "a plain secret is never shown again");
        assertEquals("Configured: http gateway at localhost.", stored.getConfig().getFirst("statusSmsDelivery"));

        settings.set("smsSecret", "${vault.sms-token}");
        assertEquals("${vault.sms-token}", component().getConfig().getFirst("smsSecret"), "vault references are shown");
    }

    @Test
    void theTabListsTheInstalledGatewaysAndSitsUnderRealmSettings() {
        ComponentTypeRepresentation tab = admin.serverInfo().getInfo().getComponentTypes().get(TAB_PROVIDER).stream()
                .filter(t -> "tillit-settings".equals(t.getId())).findFirst().orElseThrow();
        assertEquals("/:realm/realm-settings/:tab", tab.getMetadata().get("path"));
        assertEquals(Map.of("tab", "tillit"), tab.getMetadata().get("params"));
        ConfigPropertyRepresentation gateway = tab.getProperties().stream()
                .filter(p -> "smsGateway".equals(p.getName())).findFirst().orElseThrow();
        assertEquals(List.of("console", "http", "twilio"), gateway.getOptions());
        assertTrue(tab.getProperties().stream().anyMatch(p -> "sms.accountSid".equals(p.getName())),
                "each gateway's own options are on the tab");
    }

    @Test
    void theTabSaysWhenTheWithdrawalLockListenerIsOff() {
        RealmEventsConfigRepresentation events = realm.admin().getRealmEventsConfig();
        List<String> listeners = new ArrayList<>(events.getEventsListeners());
        assertTrue(listeners.contains("tillit-withdrawal-lock"));
        try {
            settings.set("codeMaxAttempts", "5");
            assertTrue(component().getConfig().getFirst("statusWithdrawalLockListener").startsWith("On:"));

            events.setEventsListeners(listeners.stream().filter(l -> !l.equals("tillit-withdrawal-lock")).toList());
            realm.admin().updateRealmEventsConfig(events);
            settings.set("codeMaxAttempts", "5");
            String status = component().getConfig().getFirst("statusWithdrawalLockListener");
            assertTrue(status.startsWith("OFF:") && status.contains("Realm settings > Events"), status);
        } finally {
            events.setEventsListeners(listeners);
            realm.admin().updateRealmEventsConfig(events);
        }
    }

    @Test
    void theAdminConsoleShowsOneTillitFormAndRefusesOutOfRangeValues() throws IOException {
        WebDriver browser = Browser.get();
        browser.get("http://localhost:8080/admin/master/console/#/tillit/realm-settings/tillit");
        Browser.waitFor(browser, By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(Keys.ENTER);

        WebElement lifetime = Browser.waitFor(browser, By.cssSelector("[data-testid='codeLifetimeSeconds']"));
        WebElement tab = Browser.waitFor(browser, By.xpath("//a[contains(@href,'realm-settings/tillit')]"));
        assertEquals("Tillit", tab.getText().trim());
        assertEquals("300", lifetime.getAttribute("value"));
        String page = browser.findElement(By.tagName("main")).getText();
        for (String group : List.of("Codes and limits", "SMS gateway", "Phone numbers", "Withdrawal lock", "Devices", "Legal documents", "Bot check")) {
            assertTrue(page.contains(group + " \u00b7 "), "group " + group + " missing");
        }
        assertTrue(page.contains("Status \u00b7 Withdrawal-lock listener"), page);
        screenshot(browser, "tillit-tab");

        lifetime.sendKeys(Keys.chord(Keys.CONTROL, "a"), "0");
        browser.findElement(By.cssSelector("[data-testid='save']")).click();
        WebElement alert = new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".pf-v5-c-alert")));
        assertTrue(alert.getText().contains("from 1 to 3600"), alert.getText());
        screenshot(browser, "tillit-tab-refused");
        assertEquals("300", component().getConfig().getFirst("codeLifetimeSeconds"));
    }

    /**
     * The admin console scrolls inside its own frame: a tall window shows the whole form. At 1280 px
     * the Realm settings tab bar scrolls and hides the Tillit tab (the last one); 1920 px shows it.
     */
    private static void screenshot(WebDriver browser, String name) throws IOException {
        try {
            for (int width : new int[] {1280, 1920}) {
                browser.manage().window().setSize(new Dimension(width, 3400));
                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Path target = Artifacts.dir("screenshots/admin").resolve(name + "-" + width + ".png");
                Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
                assertNotNull(target);
            }
        } finally {
            browser.manage().window().setSize(Browser.DESKTOP);
        }
    }
}
