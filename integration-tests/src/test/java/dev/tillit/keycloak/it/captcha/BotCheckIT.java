package dev.tillit.keycloak.it.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SiteverifyStandIn;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The bot check (step {@code tillit-bot-check}, and on the sign-in page itself): the proof-of-work solved
 * by the page in Chromium at sign-in, sign-up and reset; forged, expired, replayed and borrowed answers refused; no SMS before it
 * passes; Turnstile through a local siteverify stand-in that says yes, no, and nothing in time.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class BotCheckIT {

    private static final String PASSWORD = "Sup3r-Secret!";
    private static final String FAILED_EN = "The security check did not pass. Please try again.";
    private static final String EXPIRED_EN = "The security check took too long. Please try again.";
    private static final String UNAVAILABLE_EN = "The security check is not answering right now";
    private static final String UNAVAILABLE_SV = "Säkerhetskontrollen svarar inte för tillfället";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private SmsSink sms;
    private TillitSettingsAdmin settings;
    private TillitEventLog events;

    @BeforeEach
    void setUp() {
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void tearDown() {
        settings.close();
        sms.close();
        realm.admin().attackDetection().clearAllBruteForce();
    }

    // ---- The honest path, in Chromium

    @Test
    void thePageSolvesTheProofOfWorkAtSignInAndTheFlowGoesOn() throws Exception {
        String email = TestUsers.freshEmail("bot-signin");
        String userId = TestUsers.create(realm, email, null, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            long started = System.nanoTime();
            signIn(browser, client.authorizationUrl(null), email);
            Browser.waitFor(browser, By.id("signed-in"));
            System.out.printf("Bot check at sign-in: password to signed in in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
        }
        EventRepresentation passed = events.await("bot_check_passed");
        assertEquals("pow", TillitEventLog.detail(passed, "bot_check_provider"));
        // Judged on the sign-in page before the account is looked up: the event names no one.
        assertNull(passed.getUserId());
        assertEquals(userId, events.awaitType("LOGIN", null, null).getUserId());
    }

    @Test
    void theCheckingPageInEnglishAndSwedishWithItsProgress() throws Exception {
        // The hardest difficulty, so the page stays up long enough to be looked at.
        settings.set("botCheckDifficultyBits", "26");
        for (String locale : List.of("en", "sv")) {
            WebDriver browser = Browser.get();
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                browser.get(client.authorizationUrl(locale));
                Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
                Browser.waitFor(browser, By.id("tillit-bot-check-progress"));
                assertTrue(browser.findElements(By.id("identifier")).isEmpty(), "the sign-up form only after the check");
                // The worker reports progress while the page waits.
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> Double.parseDouble(
                        d.findElement(By.id("tillit-bot-check-progress")).getDomProperty("value")) >= 1);
                String status = browser.findElement(By.id("tillit-bot-check-status")).getText();
                assertEquals(locale.equals("sv") ? "Kontrollerar. Låt sidan vara öppen." : "Checking. Please keep this page open.", status);
                Browser.screenshots(browser, "bot-check", "pow-progress-" + locale);
            }
        }
    }

    @Test
    void withoutJavaScriptThePageSaysWhatIsNeeded() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            // As served: the note is in the page for browsers that run no script.
            HttpLoginFlow plain = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl("sv")).follow("/registration");
            assertTrue(plain.page().matches("(?s).*<noscript>\\s*<p id=\"tillit-bot-check-noscript\"[^>]*>"
                    + "Kontrollen kräver JavaScript\\. Slå på JavaScript i webbläsaren och ladda om sidan\\.</p>\\s*</noscript>.*"),
                    plain.page());

            // As Chromium shows it with JavaScript off.
            org.openqa.selenium.chrome.ChromeDriver browser = (org.openqa.selenium.chrome.ChromeDriver) Browser.get();
            browser.get(client.authorizationUrl("sv"));
            String signUp = Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).getDomProperty("href"); // absolute
            browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
            try {
                browser.get(signUp);
            } finally {
                // The page stays as it was parsed without scripts; WebDriver's own scripts need them back.
                browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
            }
            assertEquals("Kontrollen kräver JavaScript. Slå på JavaScript i webbläsaren och ladda om sidan.",
                    Browser.textOf(browser, By.id("tillit-bot-check-noscript")).trim());
            assertFalse(browser.findElement(By.id("tillit-bot-check")).isDisplayed(), "no progress bar that never moves");
            Browser.screenshots(browser, "bot-check", "pow-noscript-sv");
        }
    }

    @Test
    void signUpByPhoneSendsTheCodeOnlyAfterTheCheckPassed() throws Exception {
        String number = TestUsers.freshPhone();
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
            // Nothing went out while the check ran: the form comes only after it.
            Browser.waitFor(browser, By.id("identifier"));
            assertEquals(List.of(), sms.to(number));
            EventRepresentation passed = events.await("bot_check_passed");
            SignupPages.fill(browser, TestUsers.national(number), PASSWORD, PASSWORD, true, true);
            SignupPages.enterCode(browser, sms.awaitCode(number, 1));
            Browser.waitFor(browser, By.id("signed-in"));
            EventRepresentation sent = events.await("code_sent");
            assertTrue(passed.getTime() <= sent.getTime(), "check passed before the code was sent");
            assertEquals(1, sms.to(number).size());
        }
    }

    @Test
    void resetSendsTheCodeOnlyAfterTheCheckPassed() throws Exception {
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, null, phone, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, null, TestUsers.national(phone));
            sms.awaitCode(phone, 1);
            assertTrue(events.await("bot_check_passed").getTime() <= events.await("code_sent").getTime());
        }
    }

    // ---- Attacks, over HTTP

    @Test
    void theSignUpFormPostedPastThePendingCheckSendsNothing() throws Exception {
        String number = TestUsers.freshPhone();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow bot = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null)).follow("/registration");
            assertTrue(bot.onBotCheck(), bot.page());
            // The sign-up step's own execution, as a bot that read the flow would address it.
            String registration = realm.admin().flows().getExecutions("tillit registration").stream()
                    .filter(e -> "tillit-registration".equals(e.getProviderId()))
                    .map(AuthenticationExecutionInfoRepresentation::getId).findFirst().orElseThrow();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("identifier", TestUsers.national(number));
            form.put("password", PASSWORD);
            form.put("password-confirm", PASSWORD);
            form.put("acceptTerms", "on");
            form.put("acceptPrivacy", "on");
            HttpResponse<String> answer = bot.postFormTo(bot.formAction(HttpLoginFlow.BOT_CHECK_FORM)
                    .replaceAll("execution=[^&]+", "execution=" + registration), form);
            // Keycloak runs only the current step's action: this one is not it (its "page has expired").
            assertFalse(answer.body().contains("id=\"tillit-code-form\""), "no code page: " + answer.body());
            // The sign-up form sent to the check itself, with no answer in it, is refused there.
            HttpLoginFlow other = atSignUpCheck(client);
            HttpResponse<String> empty = other.postForm(HttpLoginFlow.BOT_CHECK_FORM, form);
            assertTrue(empty.body().contains(FAILED_EN), empty.body());
            assertFalse(empty.body().contains("id=\"tillit-code-form\""), empty.body());
            assertEquals("missing", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));
        }
        // Sign-up sends its code on the request thread: every answer has come, so anything sent has arrived.
        assertEquals(List.of(), sms.to(number), "no SMS before the check");
        assertEquals(List.of(), events.all("code_sent"));
    }

    @Test
    void aForgedChallengeIsRefused() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow bot = atSignUpCheck(client);
            HttpLoginFlow.BotChallenge challenge = bot.botChallenge();
            // Difficulty lowered to one bit in the payload, the server's signature kept.
            String[] parts = challenge.token().split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            String easier = payload.replaceAll("\"bits\":\\d+", "\"bits\":1");
            assertTrue(!easier.equals(payload), payload);
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(easier.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            bot.answerBotCheck(forged, HttpLoginFlow.solve(challenge.nonce(), 1));
            assertTrue(bot.onBotCheck() && bot.page().contains(FAILED_EN), bot.page());
            EventRepresentation failed = events.await("bot_check_failed");
            assertEquals("bad_signature", TillitEventLog.detail(failed, "reason"));
            assertEquals("pow", TillitEventLog.detail(failed, "bot_check_provider"));

            // A made-up answer to the real challenge is no better.
            HttpLoginFlow.BotChallenge fresh = bot.botChallenge();
            String wrong = "0".equals(fresh.solve()) ? "1" : "0";
            bot.answerBotCheck(fresh.token(), wrong);
            assertTrue(bot.onBotCheck(), bot.page());
            assertEquals("not_solved", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));

            // The honest answer passes: on to the sign-up form.
            HttpLoginFlow.BotChallenge last = bot.botChallenge();
            bot.answerBotCheck(last.token(), last.solve());
            assertTrue(bot.page().contains("id=\"tillit-register-form\""), bot.page());
            events.await("bot_check_passed");
        }
    }

    @Test
    void anExpiredChallengeIsRefused() throws Exception {
        Duration lifetime = Duration.ofSeconds(1);
        settings.set("botCheckChallengeSeconds", Long.toString(lifetime.toSeconds()));
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow bot = atSignUpCheck(client);
            HttpLoginFlow.BotChallenge challenge = bot.botChallenge();
            long received = System.currentTimeMillis();
            String answer = challenge.solve();
            ServerClock.outlive(received, lifetime);
            bot.answerBotCheck(challenge.token(), answer);
            assertTrue(bot.onBotCheck() && bot.page().contains(EXPIRED_EN), bot.page());
            assertEquals("expired", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));
        }
    }

    @Test
    void anAnswerFromAnotherSessionIsRefused() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow mine = atSignUpCheck(client);
            HttpLoginFlow.BotChallenge solved = mine.botChallenge();
            String answer = solved.solve();
            // Someone else's solved challenge, posted in a bot's own session.
            HttpLoginFlow other = atSignUpCheck(client);
            other.answerBotCheck(solved.token(), answer);
            assertTrue(other.onBotCheck() && other.page().contains(FAILED_EN), other.page());
            assertEquals("other_session", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));
            // And it still works where it was issued.
            mine.answerBotCheck(solved.token(), answer);
            assertTrue(mine.page().contains("id=\"tillit-register-form\""), mine.page());
        }
    }

    @Test
    void aSolvedChallengeIsAcceptedOnce() throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow bot = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null)).follow("reset-credentials");
            HttpLoginFlow.BotChallenge first = bot.botChallenge();
            String answer = first.solve();
            bot.answerBotCheck(first.token(), answer);
            assertTrue(bot.page().contains("id=\"tillit-reset-form\""), bot.page());
            events.await("bot_check_passed");

            // "Start over" (Keycloak's restart of the flow, same browser tab), "Forgot password?" again:
            // a new check, answered with the old one.
            java.util.regex.Matcher tab = java.util.regex.Pattern.compile("tab_id=([^&]+)")
                    .matcher(bot.formAction("tillit-reset-form"));
            assertTrue(tab.find());
            bot.get(realm.getBaseUrl() + "/login-actions/restart?client_id=" + DemoWebClient.CLIENT_ID + "&tab_id=" + tab.group(1))
                    .follow("reset-credentials");
            assertTrue(bot.onBotCheck(), bot.page());
            bot.answerBotCheck(first.token(), answer);
            assertTrue(bot.onBotCheck() && bot.page().contains(FAILED_EN), bot.page());
            assertEquals("replayed", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));
        }
    }

    // ---- Turnstile, through a local siteverify

    @Test
    void turnstileAnswersAreCheckedAtSiteverifyWithTheVaultSecret() throws Exception {
        try (SiteverifyStandIn siteverify = new SiteverifyStandIn(TillitServerConfig.VAULT_BOT_CHECK_SECRET);
             DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            turnstile(siteverify);
            String email = TestUsers.freshEmail("bot-turnstile");
            TestUsers.create(realm, email, null, PASSWORD);
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl(null));
            HttpResponse<String> page = flow.postForm("kc-form-login", Map.of("username", email, "password", PASSWORD));
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.matches(".*frame-src 'self' https://challenges\\.cloudflare\\.com.*"), csp);
            flow.load(page);
            assertTrue(flow.onBotCheck(), flow.page());
            assertTrue(flow.page().contains("data-site-key=\"1x00000000000000000000AA\""), flow.page());
            // The sign-in page's check, posted without the widget's answer: no password judged, this page instead.
            assertEquals("missing", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));

            // No.
            flow.submitForm(HttpLoginFlow.BOT_CHECK_FORM, Map.of("cf-turnstile-response", "no-bot"));
            assertTrue(flow.onBotCheck() && flow.page().contains(FAILED_EN), flow.page());
            EventRepresentation refused = events.await("bot_check_failed");
            assertEquals("rejected", TillitEventLog.detail(refused, "reason"));
            assertEquals("turnstile", TillitEventLog.detail(refused, "bot_check_provider"));

            // Yes: the sign-in form again (the password was not kept), and now the password is judged.
            flow.submitForm(HttpLoginFlow.BOT_CHECK_FORM, Map.of("cf-turnstile-response", "yes-person"));
            assertTrue(flow.onSignInWithBotCheck(), flow.page());
            flow.submitForm("kc-form-login", Map.of("username", email, "password", PASSWORD));
            assertEquals("Bearer", client.awaitTokens().get("token_type").asText());
            assertEquals("turnstile", TillitEventLog.detail(events.await("bot_check_passed"), "bot_check_provider"));

            // What siteverify got: the real request format and the secret from the vault, never a plain value.
            List<SiteverifyStandIn.Request> received = siteverify.received();
            assertEquals(List.of("no-bot", "yes-person"), received.stream().map(SiteverifyStandIn.Request::response).toList());
            for (SiteverifyStandIn.Request request : received) {
                assertEquals(TillitServerConfig.VAULT_BOT_CHECK_SECRET, request.secret());
                assertEquals("application/x-www-form-urlencoded", request.contentType());
                assertTrue(java.util.Set.of("127.0.0.1", "0:0:0:0:0:0:0:1").contains(request.remoteip()), request.remoteip());
            }
        }
        // The proof-of-work's page keeps the realm's policy exactly as it is (Keycloak's default here).
        settings.set("botCheckProvider", "pow");
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = atSignUpCheck(client);
            assertEquals("frame-src 'self'; frame-ancestors 'self'; object-src 'none';",
                    flow.headers().firstValue("Content-Security-Policy").orElse(""));
        }
    }

    @Test
    void aSiteverifyThatDoesNotAnswerInTimeFailsClosed() throws Exception {
        try (SiteverifyStandIn siteverify = new SiteverifyStandIn(TillitServerConfig.VAULT_BOT_CHECK_SECRET);
             DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            turnstile(siteverify);
            settings.set("botCheckTimeoutSeconds", "1");
            for (String locale : List.of("en", "sv")) {
                WebDriver browser = Browser.get();
                browser.get(client.authorizationUrl(locale));
                Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
                Browser.waitFor(browser, By.id("tillit-bot-check-status"));
                // The widget's script cannot load here (no network): answer as it would, with a token siteverify sits on.
                long started = System.nanoTime();
                ((JavascriptExecutor) browser).executeScript(
                        "document.getElementById('tillit-widget-response').value = 'slow-token';"
                                + "document.getElementById('tillit-bot-check-form').submit();");
                String alert = Browser.textOf(browser, By.cssSelector(".kc-feedback-text"));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(alert.startsWith(locale.equals("sv") ? UNAVAILABLE_SV : UNAVAILABLE_EN), alert);
                assertTrue(millis < SiteverifyStandIn.SLOW_MILLIS, "answered after the timeout, not after siteverify: " + millis + " ms");
                assertTrue(browser.findElements(By.id("identifier")).isEmpty(), "no sign-up form after a timeout");
                assertEquals("verifier_timeout", TillitEventLog.detail(events.await("bot_check_failed"), "reason"));
                Browser.screenshots(browser, "bot-check", "turnstile-timeout-" + locale);
            }
        }
    }

    private void turnstile(SiteverifyStandIn siteverify) {
        settings.set("botCheckProvider", "turnstile")
                .set("botCheckSiteKey", "1x00000000000000000000AA")
                .set("botCheckSecret", "${vault." + TillitServerConfig.VAULT_BOT_CHECK_KEY + "}")
                .set("botCheckVerifyUrl", siteverify.url());
    }

    /** A fresh HTTP session at the sign-up's bot check, not solving it. */
    private HttpLoginFlow atSignUpCheck(DemoWebClient client) throws Exception {
        HttpLoginFlow bot = new HttpLoginFlow().solvingBotChecks(false).get(client.authorizationUrl(null)).follow("/registration");
        assertTrue(bot.onBotCheck(), bot.page());
        return bot;
    }

    private static void signIn(WebDriver browser, String url, String identifier) {
        browser.get(url);
        Browser.waitFor(browser, By.id("username")).sendKeys(identifier);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }
}
