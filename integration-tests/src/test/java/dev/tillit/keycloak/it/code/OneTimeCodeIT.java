package dev.tillit.keycloak.it.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The code engine's rules, seen through the sign-up screens with codes read from the SMS gateway. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class OneTimeCodeIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private SmsSink sms;
    private TillitSettingsAdmin settings;
    private DemoWebClient client;
    private WebDriver browser;
    private String number;

    @BeforeEach
    void setUp() {
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
        client = new DemoWebClient(realm.getBaseUrl());
        browser = Browser.get();
        number = "+46702" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @AfterEach
    void tearDown() {
        client.close();
        settings.close();
        sms.close();
    }

    private String national() {
        return "0" + number.substring(3);
    }

    private static String otherThan(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void wrongCodeIsRefusedAndTheRightOneStillWorks() throws Exception {
        SignupPages.register(browser, client, null, national());
        String code = SmsSink.codeIn(sms.await(number, 1).text());

        SignupPages.enterCode(browser, otherThan(code));
        assertEquals("That code is not correct. Check it and try again.", SignupPages.codeError(browser));
        Browser.screenshots(browser, "codes", "code-wrong-en");

        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    @Test
    void sixthAttemptIsRefusedEvenWithTheRightCode() throws Exception {
        SignupPages.register(browser, client, null, national());
        String code = SmsSink.codeIn(sms.await(number, 1).text());
        for (int attempt = 1; attempt <= 4; attempt++) {
            SignupPages.enterCode(browser, otherThan(code));
            assertEquals("That code is not correct. Check it and try again.", SignupPages.codeError(browser));
        }
        SignupPages.enterCode(browser, otherThan(code));
        assertEquals("Too many wrong attempts. Send a new code.", SignupPages.codeError(browser));

        SignupPages.enterCode(browser, code);
        assertEquals("Too many wrong attempts. Send a new code.", SignupPages.codeError(browser));
        events.await("code_too_many_attempts");
        assertEquals(0, realm.admin().users().searchByAttributes("phone_number:" + number).size());
    }

    @Test
    void expiredCodeIsRefused() throws Exception {
        int lifetime = 2;
        settings.set("codeLifetimeSeconds", Integer.toString(lifetime));
        SignupPages.register(browser, client, null, national());
        String code = SmsSink.codeIn(sms.await(number, 1).text());
        ServerClock.outliveCode(System.currentTimeMillis(), lifetime);

        SignupPages.enterCode(browser, code);
        assertEquals("That code has expired. Send a new code.", SignupPages.codeError(browser));
    }

    @Test
    void resendBeforeTheCooldownSendsNothingAndSaysHowLongToWait() throws Exception {
        SignupPages.register(browser, client, null, national());
        sms.await(number, 1);
        assertTrue(browser.findElement(By.id("tillit-resend")).getDomProperty("disabled").equals("true"),
                "resend button disabled during the cooldown");

        SignupPages.forceResend(browser);
        assertTrue(SignupPages.codeError(browser).matches("Please wait \\d+ seconds before asking for a new code\\."),
                SignupPages.codeError(browser));
        // Sign-up sends on the request thread: once the page is back, anything sent has arrived.
        assertEquals(1, sms.to(number).size(), "no second SMS during the cooldown");
    }

    // A resend within the lifetime repeats the code, after expiry replaces it: CodeResendIT.

    @Test
    void perNumberHourlyLimitStopsFurtherSends() throws Exception {
        settings.set("resendCooldownSeconds", "0").set("sendsPerIdentifierPerHour", "2");
        SignupPages.register(browser, client, null, national());
        sms.await(number, 1);
        SignupPages.forceResend(browser);
        sms.await(number, 2);

        SignupPages.forceResend(browser);
        assertEquals("Too many codes have been requested. Please try again later.", SignupPages.codeError(browser));
        assertEquals(2, sms.to(number).size());
        assertEquals("code_send_limited", events.await("code_send_limited").getDetails().get("tillit_event"));
    }

    @Test
    void perAddressHourlyLimitStopsSendsFromOneAddress() throws Exception {
        settings.set("resendCooldownSeconds", "0").set("sendsPerIpPerHour", "1");
        String address = Browser.freshIpv4();
        browser = Browser.from(address);
        SignupPages.register(browser, client, null, national());
        sms.await(number, 1);

        // A new sign-up from the same address, to another number, is refused by the address limit.
        String other = "+46703" + number.substring(6);
        Browser.waitFor(browser, By.id("tillit-restart")).click();
        SignupPages.fill(browser, "0" + other.substring(3), SignupPages.PASSWORD, SignupPages.PASSWORD, true, true);
        assertEquals("Too many codes have been requested. Please try again later.", SignupPages.fieldError(browser, "identifier"));
        assertTrue(browser.findElements(By.id("tillit-code-form")).isEmpty(), "no code page without a code");
        assertEquals(0, sms.to(other).size());
        assertEquals("ip", events.await("code_send_limited").getDetails().get("reason"));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64Network() throws Exception {
        settings.set("sendsPerIpPerHour", "2");
        // Site-local fec0::/10: Keycloak counts it as a local network, so plain HTTP is allowed (sslRequired=external).
        String network = String.format("fec0:%x:%x:%x", ThreadLocalRandom.current().nextInt(0x10000),
                ThreadLocalRandom.current().nextInt(0x10000), ThreadLocalRandom.current().nextInt(0x10000));
        List<String> outcomes = new java.util.ArrayList<>();
        for (String host : List.of("::1", "::2", ":ffff:ffff:ffff:fffe")) {
            String to = "+46704" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
            WebDriver b = Browser.from(network + host); // a new session each time: cookies cleared
            SignupPages.register(b, client, null, "0" + to.substring(3));
            // Wait for the answer (the code page or the form with its error), not the page being left.
            new org.openqa.selenium.support.ui.WebDriverWait(b, java.time.Duration.ofSeconds(15)).until(
                    org.openqa.selenium.support.ui.ExpectedConditions.or(
                            org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(By.id("tillit-code-form")),
                            org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(By.id("input-error-identifier"))));
            outcomes.add(b.findElements(By.id("tillit-code-form")).isEmpty()
                    ? SignupPages.fieldError(b, "identifier") : "code sent to " + sms.to(to).size());
        }
        assertEquals(List.of("code sent to 1", "code sent to 1",
                "Too many codes have been requested. Please try again later."), outcomes);
    }

    @Test
    void perCountryHourlySmsBudgetStopsSmsToThatCountry() throws Exception {
        settings.set("smsPerCountryPerHour", "1");
        // Norway: allowed by the realm, and no other test sends there.
        String first = "+4741" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        String second = "+4741" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        SignupPages.register(browser, client, null, first);
        sms.await(first, 1);
        WebDriver other = Browser.get(); // a new session: cookies cleared
        SignupPages.register(other, client, null, second);
        assertEquals("Too many codes have been requested. Please try again later.", SignupPages.fieldError(other, "identifier"));
        assertEquals(0, sms.to(second).size());
        assertEquals("sms-country", events.await("code_send_limited").getDetails().get("reason"));
    }

    @Test
    void gatewayFailureSaysTryAgainAndCostsNothing() throws Exception {
        // One send per number: had the failed attempt kept its slot, the retry would be refused.
        settings.set("sendsPerIdentifierPerHour", "1");
        sms.answer(500);
        SignupPages.register(browser, client, "sv", national());
        assertEquals("Vi kunde inte skicka koden just nu. Försök igen.", SignupPages.fieldError(browser, "identifier"));
        Browser.screenshots(browser, "codes", "gateway-down-sv");
        // The gateway was really asked once and refused; nothing reached the phone.
        assertEquals(List.of(500), sms.answersTo(number));
        assertEquals(0, sms.to(number).size());
        assertEquals("code_delivery_failed", events.await("code_delivery_failed").getDetails().get("tillit_event"));

        sms.answer(200);
        SignupPages.fill(browser, national(), SignupPages.PASSWORD, SignupPages.PASSWORD, true, true);
        String code = SmsSink.codeIn(sms.await(number, 1).text());
        SignupPages.enterCode(browser, code);
        Browser.waitFor(browser, By.id("signed-in"));
    }

    @Test
    void smsToACountryOutsideTheAllowListIsRefused() throws Exception {
        SignupPages.register(browser, client, null, "+1 202 555 0143");
        assertEquals("We cannot send text messages to numbers in that country.", SignupPages.fieldError(browser, "identifier"));
        assertTrue(browser.findElements(By.id("tillit-code-form")).isEmpty(), "no code page");
        assertEquals(0, sms.to("+12025550143").size(), "no SMS left for the US number");
        events.await("code_country_blocked");
    }
}
