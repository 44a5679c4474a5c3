package dev.tillit.keycloak.it.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.WebDriver;

/**
 * What every second-factor test class starts from: the demo realm, GreenMail, the realm's SMS
 * gateway pointed at a fresh local sink (the http provider, secret from the vault), the event log
 * from now on, and the shared Chromium signed out. After each test the settings are put back and
 * brute-force counters cleared. (The framework injects into a superclass's fields.)
 */
public abstract class SmsGatewayTest {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    protected ManagedRealm realm;

    @InjectMailServer
    protected MailServer mail;

    protected TillitEventLog events;
    protected SmsSink sms;
    protected TillitSettingsAdmin settings;
    protected WebDriver browser;

    @BeforeEach
    void openGateway() {
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
        browser = Browser.get();
    }

    @AfterEach
    void closeGateway() {
        settings.close();
        sms.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }
}
