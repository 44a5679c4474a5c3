package dev.tillit.keycloak.it.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.SiteverifyStandIn;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The bot check before any password is judged (issue 18, case 5): the sign-in page carries the check
 * beside its form; until it passes, a right and a wrong password get the same answer, and no password
 * is checked (no {@code LOGIN_ERROR}, no brute-force failure). An honest sign-in in Chromium pays no
 * extra page; a vendor widget (Turnstile, through the siteverify stand-in) works the same way.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class SignInBotCheckIT {

    private static final String PASSWORD = "Sup3r-Secret!";
    private static final String WRONG = "Wr0ng-Secret!";
    private static final String FAILED_EN = "The security check did not pass. Please try again.";
    private static final String INVALID_EN = "Invalid email, phone number or password.";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitSettingsAdmin settings;
    private TillitEventLog events;

    @BeforeEach
    void setUp() {
        settings = new TillitSettingsAdmin(realm.admin());
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void tearDown() {
        settings.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }

    // ---- The attacker's view, over HTTP

    @Test
    void untilTheCheckPassesARightAndAWrongPasswordGetTheSameAnswerAndNoneIsChecked() throws Exception {
        String email = TestUsers.freshEmail("stuffing");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            for (String answer : List.of("none", "wrong", "replayed", "borrowed")) {
                List<String> shapes = new ArrayList<>();
                for (String password : List.of(PASSWORD, WRONG)) {
                    HttpLoginFlow bot = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null));
                    assertTrue(bot.onSignInWithBotCheck(), bot.page());
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("username", email);
                    fields.put("password", password);
                    fields.putAll(answer(answer, bot, client));
                    HttpResponse<String> page = bot.postForm(HttpLoginFlow.LOGIN_FORM, fields);
                    shapes.add(shape(page));
                    bot.load(page);
                    assertTrue(bot.onBotCheck(), answer + ": the separate check, not a verdict on the password: " + bot.page());
                    assertFalse(bot.page().contains(INVALID_EN), bot.page());
                }
                assertEquals(shapes.get(0), shapes.get(1), answer + ": a right and a wrong password answered alike");
                if (!answer.equals("none")) {
                    assertTrue(shapes.get(0).contains(FAILED_EN), shapes.get(0));
                }
            }
        }
        // Nothing was judged: no failure counted against the account, no event about its password.
        assertEquals(0, failures(userId));
        assertEquals(List.of(), loginEvents(userId));
        // Each refusal is the bot check's own event, about no one.
        EventRepresentation replayed = events.all("bot_check_failed").stream()
                .filter(e -> "replayed".equals(TillitEventLog.detail(e, "reason"))).findFirst().orElseThrow();
        assertNull(replayed.getUserId());
    }

    @Test
    void afterTheSeparateCheckTheFormComesBackAndOnlyThenIsAPasswordJudged() throws Exception {
        String email = TestUsers.freshEmail("stuffing-after");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null));
            flow.submitForm(HttpLoginFlow.LOGIN_FORM, Map.of("username", email, "password", WRONG));
            assertTrue(flow.onBotCheck(), flow.page());
            HttpLoginFlow.BotChallenge challenge = flow.botChallenge();
            flow.answerBotCheck(challenge.token(), challenge.solve());
            // The form again, the identifier kept, the password to be typed once more.
            assertTrue(flow.onSignInWithBotCheck(), flow.page());
            assertTrue(flow.page().contains("Thank you. Please enter your password again to sign in."), flow.page());
            assertTrue(flow.page().contains("value=\"" + email + "\""), flow.page());
            // Now (and only now) a wrong password is judged: Keycloak's message and a counted failure.
            flow.submitForm(HttpLoginFlow.LOGIN_FORM, Map.of("username", email, "password", WRONG));
            assertTrue(flow.page().contains(INVALID_EN), flow.page());
            assertEquals(1, failures(userId));
            assertEquals(List.of("invalid_user_credentials"), loginEvents(userId));
            // One passed check, one password: the next post needs a new answer.
            flow.submitForm(HttpLoginFlow.LOGIN_FORM, Map.of("username", email, "password", PASSWORD));
            assertTrue(flow.onBotCheck(), flow.page());
            assertEquals(1, failures(userId));
        }
    }

    @Test
    void theAnswerSentWithTheCredentialsSignsInWithoutAnotherPage() throws Exception {
        String email = TestUsers.freshEmail("one-post");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            // HttpLoginFlow answers the check the sign-in page carries, as the page's worker does.
            new HttpLoginFlow().get(client.authorizationUrl(null))
                    .submitForm(HttpLoginFlow.LOGIN_FORM, Map.of("username", email, "password", PASSWORD));
            assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
        }
        assertEquals(List.of(), events.all("bot_check_failed"));
        assertEquals(1, events.all("bot_check_passed").size());
        events.awaitType("LOGIN", null, null);
        assertEquals(0, failures(userId));
    }

    // ---- People, in Chromium

    @Test
    void anHonestSignInPaysNoExtraPageInEnglishAndSwedish() throws Exception {
        for (String locale : List.of("en", "sv")) {
            String email = TestUsers.freshEmail("honest-" + locale);
            String userId = TestUsers.create(realm, email, null, PASSWORD);
            TillitEventLog log = new TillitEventLog(realm);
            WebDriver browser = Browser.get();
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                browser.get(client.authorizationUrl(locale));
                Browser.waitFor(browser, By.id("username")).sendKeys(email);
                browser.findElement(By.id("password")).sendKeys(PASSWORD);
                // The work is done in the background while the person types; nothing to see but the form.
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "done".equals(
                        d.findElement(By.id("tillit-sign-in-bot-check")).getDomAttribute("data-state")));
                assertFalse(browser.findElement(By.id("tillit-sign-in-bot-check-status")).isDisplayed());
                Browser.screenshots(browser, "bot-check", "sign-in-" + locale);
                browser.findElement(By.id("kc-login")).click();
                // Straight on: had the separate page come, the password would have to be typed again.
                Browser.waitFor(browser, By.id("signed-in"));
                assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
            }
            assertEquals(List.of(), log.all("bot_check_failed"));
            assertEquals(1, log.all("bot_check_passed").size());
            assertEquals(userId, log.awaitType("LOGIN", null, null).getUserId());
        }
    }

    @Test
    void signingInBeforeTheWorkIsDoneWaitsForItThenGoesOn() throws Exception {
        // A harder check, so the click surely comes first.
        settings.set("botCheckDifficultyBits", "21");
        String email = TestUsers.freshEmail("early");
        TestUsers.create(realm, email, null, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            String status = Browser.textOf(browser, By.id("tillit-sign-in-bot-check-status"));
            assertTrue(status.equals("Säkerhetskontrollen slutförs, sedan loggas du in...")
                    || status.equals("Säkerhetskontrollen är klar."), status);
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
        }
        assertEquals(List.of(), events.all("bot_check_failed"));
    }

    // ---- A vendor's widget beside the form

    @Test
    void turnstileBesideTheFormIsCheckedBeforeThePassword() throws Exception {
        String email = TestUsers.freshEmail("turnstile-form");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        try (SiteverifyStandIn siteverify = new SiteverifyStandIn(TillitServerConfig.VAULT_BOT_CHECK_SECRET);
             DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            settings.set("botCheckProvider", "turnstile")
                    .set("botCheckSiteKey", "1x00000000000000000000AA")
                    .set("botCheckSecret", "${vault." + TillitServerConfig.VAULT_BOT_CHECK_KEY + "}")
                    .set("botCheckVerifyUrl", siteverify.url());
            // A refused widget answer: the same for a right and a wrong password, and nothing judged.
            List<String> shapes = new ArrayList<>();
            for (String password : List.of(PASSWORD, WRONG)) {
                HttpLoginFlow bot = new HttpLoginFlow().get(client.authorizationUrl(null));
                assertTrue(bot.onSignInWithBotCheck(), bot.page());
                assertTrue(bot.page().contains("id=\"tillit-sign-in-widget\""), bot.page());
                String csp = bot.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.matches(".*frame-src 'self' https://challenges\\.cloudflare\\.com.*"), csp);
                shapes.add(shape(bot.postForm(HttpLoginFlow.LOGIN_FORM,
                        Map.of("username", email, "password", password, "cf-turnstile-response", "no-bot"))));
            }
            assertEquals(shapes.get(0), shapes.get(1));
            assertTrue(shapes.get(0).contains(FAILED_EN), shapes.get(0));
            assertEquals(0, failures(userId));
            assertEquals(List.of(), loginEvents(userId));

            // The widget's yes, posted with the credentials: signed in, no other page.
            new HttpLoginFlow().get(client.authorizationUrl(null)).submitForm(HttpLoginFlow.LOGIN_FORM,
                    Map.of("username", email, "password", PASSWORD, "cf-turnstile-response", "yes-person"));
            assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
            assertEquals(List.of("no-bot", "no-bot", "yes-person"),
                    siteverify.received().stream().map(SiteverifyStandIn.Request::response).toList());
        }
    }

    // ---- helpers

    /** The bot-check fields of one kind of bad answer, for a fresh session {@code bot} at the sign-in page. */
    private Map<String, String> answer(String kind, HttpLoginFlow bot, DemoWebClient client) throws Exception {
        HttpLoginFlow.BotChallenge challenge = bot.botChallenge();
        switch (kind) {
            case "wrong": {
                String right = challenge.solve();
                return Map.of(HttpLoginFlow.CHALLENGE, challenge.token(), HttpLoginFlow.SOLUTION, "0".equals(right) ? "1" : "0");
            }
            case "replayed": {
                // Spent once by a sign-in of someone who does not exist, then sent again.
                String solution = challenge.solve();
                Map<String, String> first = Map.of("username", TestUsers.freshEmail("nobody"), "password", WRONG,
                        HttpLoginFlow.CHALLENGE, challenge.token(), HttpLoginFlow.SOLUTION, solution);
                HttpResponse<String> spent = bot.postForm(HttpLoginFlow.LOGIN_FORM, first);
                assertTrue(spent.body().contains(INVALID_EN), spent.body());
                bot.load(spent);
                return Map.of(HttpLoginFlow.CHALLENGE, challenge.token(), HttpLoginFlow.SOLUTION, solution);
            }
            case "borrowed": {
                // Solved in another session: bound to that one.
                HttpLoginFlow other = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null));
                HttpLoginFlow.BotChallenge theirs = other.botChallenge();
                return Map.of(HttpLoginFlow.CHALLENGE, theirs.token(), HttpLoginFlow.SOLUTION, theirs.solve());
            }
            default:
                return Map.of();
        }
    }

    private static final Pattern TITLE = Pattern.compile("id=\"kc-page-title\">\\s*([^<]*?)\\s*<");
    private static final Pattern MESSAGE = Pattern.compile("class=\"[^\"]*kc-feedback-text\">([^<]*)<");
    private static final Pattern FORM_ID = Pattern.compile("<form id=\"([^\"]+)\"");

    /** What the answer says, without what differs by nature (challenges, codes in addresses). */
    private static String shape(HttpResponse<String> page) {
        StringBuilder shape = new StringBuilder("HTTP ").append(page.statusCode());
        for (Pattern pattern : List.of(TITLE, MESSAGE, FORM_ID)) {
            Matcher m = pattern.matcher(page.body());
            while (m.find()) {
                shape.append(" | ").append(m.group(1));
            }
        }
        return shape.toString();
    }

    private int failures(String userId) {
        return ((Number) realm.admin().attackDetection().bruteForceUserStatus(userId).get("numFailures")).intValue();
    }

    /** The errors of this test's LOGIN_ERROR events about the account. */
    private List<String> loginEvents(String userId) {
        return realm.admin().getEvents(List.of("LOGIN_ERROR"), null, userId, null, null, null, 0, 100, "asc")
                .stream().map(EventRepresentation::getError).toList();
    }
}
