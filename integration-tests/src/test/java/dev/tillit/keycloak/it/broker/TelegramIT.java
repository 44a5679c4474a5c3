package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.TelegramWidget;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Sign-in with Telegram: the widget page, Telegram's signed callback (payloads signed with the
 * suite's test bot token, as Telegram signs them), and the first-sign-in choice — sign up, or link
 * an existing account through its password and second factor. Forged, stale and replayed payloads
 * are refused with a message and an event.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class TelegramIT {

    private static final String TOKEN = TillitServerConfig.TELEGRAM_BOT_TOKEN;
    private static final String PASSWORD = "Tillit-Link1!";
    private static final Pattern AUTH_URL = Pattern.compile("data-auth-url=\"([^\"]+)\"");

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;

    @BeforeEach
    void log() {
        events = new TillitEventLog(realm);
    }

    /** From the client's sign-in page to the widget page; returns the widget's data-auth-url. */
    private static String openWidget(WebDriver browser, DemoWebClient client, String locale) {
        browser.get(client.authorizationUrl(locale));
        Browser.waitFor(browser, By.id("social-telegram")).click();
        Browser.waitFor(browser, By.id("tillit-telegram-widget"));
        String authUrl = browser.findElement(By.cssSelector("#tillit-telegram-widget script")).getAttribute("data-auth-url");
        assertTrue(authUrl.contains("/realms/tillit/broker/telegram/endpoint/widget/"), authUrl);
        return authUrl;
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void signUpWithTelegramRecordsConsentsAndKeysTheAccountOnTelegramsId(String locale) throws Exception {
        boolean sv = "sv".equals(locale);
        String telegramId = TelegramWidget.freshUserId();
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String authUrl = openWidget(browser, client, locale);
            assertEquals(sv ? "Logga in med Telegram" : "Sign in with Telegram", browser.findElement(By.id("kc-page-title")).getText().trim());
            assertEquals("TillitLoginBot", browser.findElement(By.cssSelector("#tillit-telegram-widget script")).getAttribute("data-telegram-login"));
            Browser.screenshots(browser, "broker", "telegram-widget-" + locale);

            browser.get(TelegramWidget.callback(authUrl, TelegramWidget.signed(TOKEN, telegramId, "Åsa", TelegramWidget.now())));
            Browser.waitFor(browser, By.id("tillit-first-login-signup"));
            assertTrue(browser.findElement(By.id("kc-page-title")).getText().contains("Telegram"));
            Browser.screenshots(browser, "broker", "first-login-" + locale);

            // Consent is required, as at our own sign-up.
            browser.findElement(By.id("tillit-sign-up-new")).click();
            Browser.waitFor(browser, By.id("input-error-acceptTerms"));
            Browser.screenshots(browser, "broker", "first-login-consent-missing-" + locale);

            browser.findElement(By.id("acceptTerms")).click();
            browser.findElement(By.id("acceptPrivacy")).click();
            browser.findElement(By.id("tillit-sign-up-new")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            assertNotNull(client.awaitTokens().get("access_token"));
        }
        EventRepresentation signedUp = events.await("broker_signed_up");
        UserRepresentation user = realm.admin().users().get(signedUp.getUserId()).toRepresentation();
        assertNull(user.getEmail(), "Telegram gives no email");
        assertEquals("Åsa", user.getFirstName());
        assertTrue(user.getAttributes().get("terms_accepted").get(0).matches("[^@]+@[0-9]+"), user.getAttributes().toString());
        assertTrue(user.getAttributes().get("privacy_accepted").get(0).matches("[^@]+@[0-9]+"));
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(user.getId()).getFederatedIdentity();
        assertEquals(1, links.size());
        assertEquals("telegram", links.get(0).getIdentityProvider());
        assertEquals(telegramId, links.get(0).getUserId());

        // The next sign-in with the same Telegram id goes straight in: no second account.
        WebDriver again = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String authUrl = openWidget(again, client, locale);
            again.get(TelegramWidget.callback(authUrl, TelegramWidget.signed(TOKEN, telegramId, "Åsa", TelegramWidget.now())));
            Browser.waitFor(again, By.id("signed-in"));
            assertEquals(user.getId(), DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        assertEquals(1, events.all("broker_signed_up").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void linkExistingAccountNeedsItsPasswordAndSecondFactorAndTellsTheOwner(String locale) throws Exception {
        String email = TestUsers.freshEmail("tg-link");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String userId = TestUsers.create(realm, email, null, PASSWORD, secret);
        String telegramId = TelegramWidget.freshUserId();
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String authUrl = openWidget(browser, client, locale);
            browser.get(TelegramWidget.callback(authUrl, TelegramWidget.signed(TOKEN, telegramId, "Erik", TelegramWidget.now())));
            Browser.waitFor(browser, By.id("tillit-link-existing")).click();
            Browser.waitFor(browser, By.id("username"));
            // Linking is proved with this account's password: no other provider's button leads away from it.
            assertTrue(browser.findElements(By.id("kc-social-providers")).isEmpty(), "provider buttons on the link page");
            assertTrue(browser.findElements(By.id("social-apple")).isEmpty(), "Apple's button on the link page");
            Browser.screenshots(browser, "broker", "link-sign-in-" + locale);

            // A wrong password links nothing.
            browser.findElement(By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys("Wrong-Pass1!");
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("input-error-username"));
            Browser.screenshots(browser, "broker", "link-sign-in-wrong-" + locale);
            assertTrue(realm.admin().users().get(userId).getFederatedIdentity().isEmpty());

            browser.findElement(By.id("username")).clear();
            browser.findElement(By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).clear();
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("tillit-linked"));
            assertTrue(browser.findElement(By.id("tillit-linked")).getText().contains("Telegram"));
            Browser.screenshots(browser, "broker", "linked-" + locale);
            assertTrue(realm.admin().users().get(userId).getFederatedIdentity().isEmpty(), "linked only after the confirmation");
            browser.findElement(By.id("tillit-linked-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            client.awaitTokens();
        }
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(userId).getFederatedIdentity();
        assertEquals(1, links.size());
        assertEquals(telegramId, links.get(0).getUserId());
        assertEquals(userId, events.await("broker_link_confirmed").getUserId());

        // The owner is told, in the language the sign-in asked for.
        String subject = "sv".equals(locale) ? "Ett inloggningssätt har lagts till på ditt Tillit-konto"
                : "A sign-in method was added to your Tillit account";
        Mails.to(mail, email, subject);

        // From now on Telegram opens this account, followed by its second factor (the post login flow).
        browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String authUrl = openWidget(browser, client, locale);
            browser.get(TelegramWidget.callback(authUrl, TelegramWidget.signed(TOKEN, telegramId, "Erik", TelegramWidget.now())));
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.next(secret)); // the link used this step's code
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(userId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
    }

    // ---- Attacks, over plain HTTP ----

    /** A fresh sign-in up to the widget page; returns the widget's auth URL (its own state). */
    private String widgetUrl(HttpLoginFlow flow, DemoWebClient client) throws Exception {
        flow.get(client.authorizationUrl("en")).follow("/broker/telegram/login");
        Matcher m = AUTH_URL.matcher(flow.page());
        assertTrue(m.find(), flow.page());
        return m.group(1).replace("&amp;", "&");
    }

    private void assertRefused(HttpLoginFlow flow, String message, String reason) throws Exception {
        assertTrue(flow.page().contains(message), flow.page());
        assertFalse(flow.page().contains("tillit-first-login"), "no first-sign-in page");
        EventRepresentation event = events.await("broker_login_rejected");
        assertEquals(reason, TillitEventLog.detail(event, "reason"));
        assertEquals("IDENTITY_PROVIDER_LOGIN_ERROR", event.getType());
        assertEquals("telegram", TillitEventLog.detail(event, "identity_provider"));
    }

    @Test
    void forgedHashIsRefused() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            // Signed with another bot's token.
            HttpLoginFlow flow = new HttpLoginFlow();
            String url = widgetUrl(flow, client);
            flow.get(TelegramWidget.callback(url, TelegramWidget.signed("7000000002:AAF-someone-elses-bot-token-0123456789", TelegramWidget.freshUserId(), "Eve", TelegramWidget.now())));
            assertRefused(flow, "We could not verify your sign-in with Telegram", "hash_invalid");

            // A genuine payload with the user id swapped for someone else's.
            HttpLoginFlow second = new HttpLoginFlow();
            url = widgetUrl(second, client);
            Map<String, String> fields = new LinkedHashMap<>(TelegramWidget.signed(TOKEN, TelegramWidget.freshUserId(), "Eve", TelegramWidget.now()));
            fields.put("id", TelegramWidget.freshUserId());
            second.get(TelegramWidget.callback(url, fields));
            assertRefused(second, "We could not verify your sign-in with Telegram", "hash_invalid");

            // A field added to a genuine payload.
            HttpLoginFlow third = new HttpLoginFlow();
            url = widgetUrl(third, client);
            fields = new LinkedHashMap<>(TelegramWidget.signed(TOKEN, TelegramWidget.freshUserId(), "Eve", TelegramWidget.now()));
            fields.put("last_name", "Admin");
            third.get(TelegramWidget.callback(url, fields));
            assertRefused(third, "We could not verify your sign-in with Telegram", "hash_invalid");
        }
    }

    @Test
    void staleAuthDateIsRefused() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow();
            String url = widgetUrl(flow, client);
            // The demo realm accepts a sign-in for 300 seconds.
            flow.get(TelegramWidget.callback(url, TelegramWidget.signed(TOKEN, TelegramWidget.freshUserId(), "Old", TelegramWidget.now() - 301)));
            assertRefused(flow, "Your sign-in with Telegram took too long", "auth_date_stale");
        }
    }

    @Test
    void replayedPayloadIsRefusedEvenInAnotherSession() throws Exception {
        Map<String, String> payload = TelegramWidget.signed(TOKEN, TelegramWidget.freshUserId(), "Once", TelegramWidget.now());
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow first = new HttpLoginFlow();
            first.get(TelegramWidget.callback(widgetUrl(first, client), payload));
            assertTrue(first.page().contains("tillit-first-login-signup"), first.page());

            // Someone who captured the payload starts a sign-in of their own and hands it in.
            HttpLoginFlow thief = new HttpLoginFlow();
            thief.get(TelegramWidget.callback(widgetUrl(thief, client), payload));
            assertRefused(thief, "This sign-in with Telegram has already been used", "payload_replayed");
        }
    }

    @Test
    void oneFreshPayloadSubmittedInParallelIsAcceptedOnce() throws Exception {
        Map<String, String> payload = TelegramWidget.signed(TOKEN, TelegramWidget.freshUserId(), "Race", TelegramWidget.now());
        int n = 6;
        List<HttpLoginFlow> flows = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            for (int i = 0; i < n; i++) {
                HttpLoginFlow flow = new HttpLoginFlow();
                urls.add(TelegramWidget.callback(widgetUrl(flow, client), payload));
                flows.add(flow);
            }
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpLoginFlow flow = flows.get(i);
                String url = urls.get(i);
                answers.add(pool.submit((Callable<String>) () -> {
                    start.await();
                    return flow.get(url).page();
                }));
            }
            start.countDown();
            int accepted = 0;
            int replayed = 0;
            for (Future<String> answer : answers) {
                String page = answer.get();
                accepted += page.contains("tillit-first-login-signup") ? 1 : 0;
                replayed += page.contains("This sign-in with Telegram has already been used") ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, accepted);
            assertEquals(n - 1, replayed);
        }
    }
}
