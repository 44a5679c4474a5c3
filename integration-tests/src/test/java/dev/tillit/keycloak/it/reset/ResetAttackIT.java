package dev.tillit.keycloak.it.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.ServerClock;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Password reset tried as an attacker would: someone else's code, starting over mid-flow, an old
 * address, parallel guesses, endless guessing, a slow gateway, spending the owner's budget.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class ResetAttackIT {

    private static final String PASSWORD = "Old-Passw0rd!";
    private static final String WRONG_CODE = "That code is not correct. Check it and try again.";
    private static final String TOO_MANY = "Too many wrong attempts. Send a new code.";
    private static final String PAUSED = "Too many wrong codes. For your security, you can ask for a new code in 15 minutes.";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;
    private SmsSink sms;
    private TillitSettingsAdmin settings;

    @BeforeEach
    void gateway() {
        events = new TillitEventLog(realm);
        sms = new SmsSink();
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms);
    }

    @AfterEach
    void restore() {
        settings.close();
        sms.close();
    }

    @Test
    void startingOverWithinTheCooldownShowsNoCodePageAndSendsNothing() throws Exception {
        String attacker = TestUsers.freshPhone();
        String victim = TestUsers.freshPhone();
        TestUsers.create(realm, null, attacker, PASSWORD);
        TestUsers.create(realm, null, victim, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, null, TestUsers.national(attacker));
            Browser.waitFor(browser, By.id("code"));
            sms.await(attacker, 1);
            events.await("code_sent");

            ResetPages.startOver(browser);
            events.await("code_step_restarted");
            ResetPages.identify(browser, TestUsers.national(victim));

            assertTrue(SignupPages.fieldError(browser, "identifier").matches("Please wait \\d+ seconds before asking for a new code\\."),
                    SignupPages.fieldError(browser, "identifier"));
            assertFalse(ResetPages.onCodePage(browser), "no code page without a code issued for this number");
            Browser.screenshots(browser, "reset", "reset-identify-cooldown-en");
        }
        // Refused before anything was issued (a code is issued and recorded in the request that asks
        // for it), so nothing was handed to the gateway either.
        assertEquals(1, events.all("code_sent").size(), "the attacker's code only");
        ServerClock.letBackgroundDeliveriesArrive();
        assertEquals(List.of(), sms.to(victim));
    }

    @Test
    void myCodeNeverOpensAnotherAccount() throws Exception {
        settings.set("resendCooldownSeconds", "0");
        String attacker = TestUsers.freshPhone();
        String victim = TestUsers.freshPhone();
        TestUsers.create(realm, null, attacker, PASSWORD);
        TestUsers.create(realm, null, victim, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, null, TestUsers.national(attacker));
            String mine = SmsSink.codeIn(sms.await(attacker, 1).text());

            ResetPages.startOver(browser);
            ResetPages.identify(browser, TestUsers.national(victim));
            Browser.waitFor(browser, By.id("code"));
            String victims = SmsSink.codeIn(sms.await(victim, 1).text());

            SignupPages.enterCode(browser, mine.equals(victims) ? otherThan(mine) : mine);
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
            assertFalse(ResetPages.onNewPasswordPage(browser));
            events.await("code_failed");
        }
    }

    @Test
    void anOldAddressThatIsOnlyTheUsernameGetsTheDecoyAndNoMail() throws Exception {
        String old = TestUsers.freshEmail("old");
        String current = TestUsers.freshEmail("current");
        TestUsers.createNamed(realm, old, current, PASSWORD);
        String bystander = TestUsers.freshEmail("bystander");
        TestUsers.create(realm, bystander, null, PASSWORD);

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, null, old);
            assertEquals("If an account exists for " + old + ", we have sent it a 6-digit code.",
                    Browser.textOf(browser, By.id("tillit-code-recipient")));
            SignupPages.enterCode(browser, "123456");
            assertEquals(WRONG_CODE, SignupPages.codeError(browser));
        }
        // A real reset afterwards: once its mail is in, the decoy's would have been too.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(Browser.get(), client, null, bystander);
            assertTrue(mail.waitForIncomingEmail(15000, 1));
        }
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            for (Address to : message.getAllRecipients()) {
                recipients.add(to.toString());
            }
        }
        assertEquals(List.of(bystander), recipients, "nothing to the old address, nothing to the account's current one");
    }

    @Test
    void wrongCodesFromManySessionsAtOnceSpendTheDailyBudgetExactly() throws Exception {
        settings.set("wrongCodesPerDay", "5").set("sendsPerIdentifierPerHour", "20");
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, null, phone, PASSWORD);
        List<HttpLoginFlow> sessions = new ArrayList<>();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            List<CompletableFuture<HttpLoginFlow>> opening = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new HttpLoginFlow().get(client.authorizationUrl(null)).follow("reset-credentials")
                                .submit("tillit-reset-form", "identifier", TestUsers.national(phone));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<HttpLoginFlow> session : opening) {
                sessions.add(session.get());
            }
        }
        sms.await(phone, 8);

        // Eight sessions, one wrong code each, all at the same instant: the budget of five must hold.
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (HttpLoginFlow session : sessions) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return session.post("tillit-code-form", "code", "000000").body();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        int wrong = 0;
        int paused = 0;
        List<String> seen = new ArrayList<>();
        for (CompletableFuture<String> answer : answers) {
            String body = answer.get();
            wrong += body.contains(WRONG_CODE) ? 1 : 0;
            paused += body.contains(PAUSED) ? 1 : 0;
            java.util.regex.Matcher error = java.util.regex.Pattern
                    .compile("id=\"input-error-code\"[^>]*>\\s*([^<]*)").matcher(body);
            seen.add(error.find() ? error.group(1).trim() : body.replaceAll("(?s).*<title>([^<]*)</title>.*", "$1"));
        }
        assertEquals(List.of(5, 3), List.of(wrong, paused), "five free guesses, then the pause: " + seen);
        assertEquals("reset", TillitEventLog.detail(events.await("code_guessing_paused"), "purpose"));
    }

    @Test
    void guessingPausesNewCodesForKnownAndUnknownNumbersAlike() throws Exception {
        settings.set("resendCooldownSeconds", "0").set("wrongCodesPerDay", "5");
        String known = TestUsers.freshPhone();
        TestUsers.create(realm, null, known, PASSWORD);
        String unknown = TestUsers.freshPhone();
        List<String> answers = new ArrayList<>();
        for (String number : List.of(known, unknown)) {
            WebDriver browser = Browser.get();
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                ResetPages.start(browser, client, null, TestUsers.national(number));
                for (int i = 1; i <= 5; i++) {
                    SignupPages.enterCode(browser, "000000");
                    answers.add(SignupPages.codeError(browser));
                }
                // A fresh code after five wrong ones; the next wrong one spends the day's budget.
                SignupPages.forceResend(browser);
                SignupPages.enterCode(browser, "000000");
                answers.add(SignupPages.codeError(browser));
                EventRepresentation paused = events.await("code_guessing_paused");
                assertEquals("reset", TillitEventLog.detail(paused, "purpose"));

                // No new code during the pause: not by resend, not in a new tab.
                SignupPages.forceResend(browser);
                answers.add(SignupPages.codeError(browser));
                Browser.screenshots(browser, "reset", "reset-code-paused-en");
            }
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                WebDriver tab = Browser.get();
                ResetPages.start(tab, client, null, TestUsers.national(number));
                answers.add(SignupPages.fieldError(tab, "identifier"));
                assertFalse(ResetPages.onCodePage(tab));
            }
        }
        // In Swedish too, on the first screen.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver tab = Browser.get();
            ResetPages.start(tab, client, "sv", TestUsers.national(known));
            // The known number's pause began before the unknown number's round (each start passes a bot
            // check), so up to a minute of it may be gone: 15 or 14 minutes left.
            String paused = SignupPages.fieldError(tab, "identifier");
            assertTrue(paused.matches("För många felaktiga koder\\. För din säkerhet kan du be om en ny kod om 1[45] minuter\\."),
                    paused);
            Browser.screenshots(tab, "reset", "reset-identify-paused-sv");
        }
        List<String> expected = List.of(WRONG_CODE, WRONG_CODE, WRONG_CODE, WRONG_CODE, TOO_MANY, PAUSED, PAUSED, PAUSED);
        assertEquals(expected, answers.subList(0, 8), "known number");
        assertEquals(expected, answers.subList(8, 16), "unknown number: the same answers");
        // Two codes issued for each number (the unknown number's are decoys, issued alike) and none
        // while paused; the owner received his two, the unknown number nothing.
        assertEquals(4, events.all("code_sent").size());
        sms.await(known, 2);
        ServerClock.letBackgroundDeliveriesArrive();
        assertEquals(2, sms.to(known).size());
        assertEquals(List.of(), sms.to(unknown));
    }

    @Test
    void aSlowGatewayDoesNotShowInTheAnswer() throws Exception {
        settings.set("resendCooldownSeconds", "0");
        sms.delay(3000);
        String known = TestUsers.freshPhone();
        TestUsers.create(realm, null, known, PASSWORD);
        String unknown = TestUsers.freshPhone();
        long[][] millis = new long[2][2];
        String[] numbers = {known, unknown};
        for (int i = 0; i < 2; i++) {
            WebDriver browser = Browser.get();
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                browser.get(client.authorizationUrl(null));
                Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
                Browser.waitFor(browser, By.id("identifier")); // past the bot check: its time is not the send's
                long start = System.nanoTime();
                ResetPages.identify(browser, TestUsers.national(numbers[i]));
                Browser.waitFor(browser, By.id("code"));
                millis[i][0] = (System.nanoTime() - start) / 1_000_000;

                start = System.nanoTime();
                SignupPages.forceResend(browser);
                Browser.waitFor(browser, By.id("code"));
                millis[i][1] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        String timings = Arrays.deepToString(millis) + " ms (known, unknown) x (identify, resend)";
        for (long[] pair : millis) {
            for (long ms : pair) {
                assertTrue(ms >= 1400, "every send waits out the 1.5 s floor: " + timings);
                assertTrue(ms < 2900, "no send waits for the 3 s gateway: " + timings);
            }
        }
        // The slow gateway still delivered both codes to the real account.
        sms.await(known, 2);
        System.out.println("[timing] slow gateway (3 s): " + timings);
    }

    @Test
    void strangersSigningUpWithMyNumberDoNotSpendMyResetBudget() throws Exception {
        settings.set("resendCooldownSeconds", "0").set("sendsPerIdentifierPerHour", "2");
        String owner = TestUsers.freshPhone();
        TestUsers.create(realm, null, owner, PASSWORD);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SignupPages.register(browser, client, null, TestUsers.national(owner));
            sms.await(owner, 1);
            SignupPages.forceResend(browser);
            sms.await(owner, 2);
            SignupPages.forceResend(browser);
            assertEquals("Too many codes have been requested. Please try again later.", SignupPages.codeError(browser));
        }
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser = Browser.get();
            ResetPages.start(browser, client, null, TestUsers.national(owner));
            String code = SmsSink.codeIn(sms.await(owner, 3).text());
            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("password-new"));
        }
    }

    private static String otherThan(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }
}
