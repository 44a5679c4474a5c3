package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.GoogleStandIn;
import dev.tillit.keycloak.it.support.Mails;
import dev.tillit.keycloak.it.support.ResetPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TelegramWidget;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A linked identity is a credential (issue 18, case 3). Linking one by any path — the first-login
 * "link existing account", "Linked accounts" in Keycloak's account console, the admin API — locks
 * withdrawals for the setting's hours and tells the owner by mail and SMS with a "this was not me" link; that link, a password reset by the reset
 * flow and an admin password reset each remove every linked identity, so whoever linked theirs
 * has no way in after the owner recovers.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class LinkedIdentityIT extends SmsGatewayTest {

    /** Google, played by a second realm of the same server (the account console links it). */
    @InjectRealm(ref = "google", config = GoogleStandIn.Realm.class)
    ManagedRealm google;

    private static final String TOKEN = TillitServerConfig.TELEGRAM_BOT_TOKEN;
    private static final String PASSWORD = "Linked-Passw0rd!";
    private static final Pattern LINK = Pattern.compile("(http\\S+/login-actions/action-token\\?\\S+)");
    private static final String ADDED_EN = "A sign-in method was added to your Tillit account";
    private static final String ADDED_SV = "Ett inloggningssätt har lagts till på ditt Tillit-konto";

    @BeforeEach
    void googleStandIn() {
        GoogleStandIn.register(realm, google);
    }

    @AfterEach
    void removeGoogleStandIn() {
        GoogleStandIn.remove(realm);
    }

    // ---- Linking locks and tells

    @Test
    void anAdminLinkingAnIdentityLocksWithdrawalsAndTellsTheOwnerInSwedish() throws Exception {
        String email = TestUsers.freshEmail("link-admin");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        swedish(id);
        String telegramId = TelegramWidget.freshUserId();

        linkByAdmin(id, telegramId);

        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("identity_linked", TillitEventLog.detail(locked, "reason"));
        assertEquals("telegram", TillitEventLog.detail(locked, "identity_provider"));
        assertLockedForHours(id, 24);

        MimeMessage notice = Mails.to(mail, email, ADDED_SV);
        String text = Mails.part(notice, "text/plain");
        assertTrue(text.contains("Telegram har lagts till som inloggningssätt för ditt Tillit-konto."), text);
        assertTrue(text.contains("uttag spärrade till"), text);
        assertTrue(Mails.part(notice, "text/html").contains("id=\"tillit-disown-link\""));
        link(text);
        SmsSink.Sms sms = this.sms.await(phone, 1);
        assertTrue(sms.text().startsWith("Tillit: Telegram har lagts till som inloggningssätt för ditt konto. Uttag är spärrade till "),
                sms.text());
        link(sms.text());
    }

    @Test
    void theFirstLoginLinkLocksWithdrawalsAndTellsTheOwnerAndItsNoticeUndoesIt() throws Exception {
        String email = TestUsers.freshEmail("link-first");
        String phone = TestUsers.freshPhone();
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, phone, PASSWORD, secret);
        String telegramId = TelegramWidget.freshUserId();

        String linkerRefresh;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(TelegramWidget.callback(openWidget(browser, client), TelegramWidget.signed(TOKEN, telegramId, "Erik", TelegramWidget.now())));
            Browser.waitFor(browser, By.id("tillit-link-existing")).click();
            Browser.waitFor(browser, By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("tillit-linked-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            linkerRefresh = client.awaitTokens().get("refresh_token").asText();
        }
        assertEquals(1, realm.admin().users().get(id).getFederatedIdentity().size());
        EventRepresentation linked = events.awaitType("FEDERATED_IDENTITY_LINK", "identity_provider", "telegram");
        assertEquals(id, linked.getUserId());
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals("identity_linked", TillitEventLog.detail(locked, "reason"));
        assertEquals("telegram", TillitEventLog.detail(locked, "identity_provider"));
        assertLockedForHours(id, 24);

        MimeMessage notice = Mails.to(mail, email, ADDED_EN);
        String text = Mails.part(notice, "text/plain");
        assertTrue(text.contains("Telegram was added as a way to sign in to your Tillit account."), text);
        assertTrue(text.contains("withdrawals are locked until"), text);
        String disown = link(text);
        SmsSink.Sms sms = smsStartingWith(phone, "Tillit: Telegram was added as a way to sign in to your account. Withdrawals are locked until ");
        assertEquals(disown.substring(0, disown.indexOf("key=")), link(sms.text()).substring(0, disown.indexOf("key=")));

        // The owner did not link it: the notice's link, confirmed, removes the link and ends the session that made it.
        browser = Browser.get();
        browser.get(disown);
        Browser.waitFor(browser, By.id("tillit-disown-confirm"));
        assertTrue(browser.findElement(By.id("tillit-disown-lead")).getText().startsWith("A sign-in method was added to your Tillit account."),
                browser.findElement(By.id("tillit-disown-lead")).getText());
        Browser.screenshots(browser, "broker", "linked-disown-confirm-en");
        assertEquals(1, realm.admin().users().get(id).getFederatedIdentity().size(), "opening the link alone removes nothing");
        browser.findElement(By.id("tillit-disown-confirm")).click();
        Browser.waitFor(browser, By.id("tillit-disown-done"));
        assertTrue(browser.findElement(By.id("tillit-disown-removed")).getText()
                .startsWith("We removed these sign-in methods from your account: Telegram."));
        Browser.screenshots(browser, "broker", "linked-disown-done-en");

        assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "every linked identity removed");
        EventRepresentation removed = events.await("linked_identities_removed");
        assertEquals("REMOVE_FEDERATED_IDENTITY", removed.getType());
        assertEquals(id, removed.getUserId());
        assertEquals("telegram", TillitEventLog.detail(removed, "identity_providers"));
        assertEquals("suspicious_sign_in", TillitEventLog.detail(removed, "reason"));
        EventRepresentation disowned = events.await("sign_in_disowned");
        assertEquals("true", TillitEventLog.detail(disowned, "session_ended"));
        assertEquals(400, TestUsers.refresh(realm, linkerRefresh).statusCode(), "the linking session is over");
        assertLockedForHours(id, 72);

        // Telegram no longer opens the account: a first sign-in is offered instead.
        assertTelegramNoLongerSignsIn(telegramId, id);
    }

    @Test
    void linkingGoogleInTheAccountConsoleLocksWithdrawalsForTheSettingsHoursAndTellsTheOwner() throws Exception {
        // Not the default 24 hours: the lock's length is seen to come from the setting.
        settings.set("lockAfterIdentityLinkedHours", "36");
        String email = TestUsers.freshEmail("link-console");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        String googleUser = GoogleStandIn.user(google, TestUsers.freshEmail("link-console-google"));

        signInToTheAccountConsole(email, null);
        linkGoogleInTheAccountConsole(googleUser, "en");
        assertTrue(Browser.textOf(browser, By.id("linked-idps")).contains(GoogleStandIn.DISPLAY_NAME),
                Browser.textOf(browser, By.id("linked-idps")));
        Browser.screenshots(browser, "broker", "console-linked-accounts-en");

        assertLinkedToGoogle(id, googleUser);
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("identity_linked", TillitEventLog.detail(locked, "reason"));
        assertEquals(GoogleStandIn.ALIAS, TillitEventLog.detail(locked, "identity_provider"));
        assertLockedForHours(id, 36);

        MimeMessage notice = Mails.to(mail, email, ADDED_EN);
        String text = Mails.part(notice, "text/plain");
        assertTrue(text.contains(GoogleStandIn.DISPLAY_NAME + " was added as a way to sign in to your Tillit account."), text);
        assertTrue(text.contains("withdrawals are locked until"), text);
        assertTrue(Mails.part(notice, "text/html").contains("id=\"tillit-disown-link\""));
        String disown = link(text);
        SmsSink.Sms sms = smsStartingWith(phone, "Tillit: " + GoogleStandIn.DISPLAY_NAME
                + " was added as a way to sign in to your account. Withdrawals are locked until ");
        assertEquals(disown.substring(0, disown.indexOf("key=")), link(sms.text()).substring(0, disown.indexOf("key=")));

        // The link names the console's session, which linked Google: "this was not me" ends it and removes the link.
        assertEquals(1, realm.admin().users().get(id).getUserSessions().size());
        browser = Browser.get();
        browser.get(disown);
        Browser.waitFor(browser, By.id("tillit-disown-confirm")).click();
        Browser.waitFor(browser, By.id("tillit-disown-done"));
        assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "the link is removed");
        assertEquals("true", TillitEventLog.detail(events.await("sign_in_disowned"), "session_ended"));
        assertTrue(realm.admin().users().get(id).getUserSessions().isEmpty(), "the console's session is over");
    }

    @Test
    void withASecondFactorTheConsoleAsksItAndLinkingGoogleThereLocksAndTellsInSwedish() throws Exception {
        String email = TestUsers.freshEmail("link-console-totp");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, null, PASSWORD, secret);
        swedish(id);
        String googleUser = GoogleStandIn.user(google, TestUsers.freshEmail("link-console-totp-google"));

        signInToTheAccountConsole(email, secret);
        linkGoogleInTheAccountConsole(googleUser, "sv");
        Browser.screenshots(browser, "broker", "console-linked-accounts-sv");

        assertLinkedToGoogle(id, googleUser);
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals(id, locked.getUserId());
        assertEquals("identity_linked", TillitEventLog.detail(locked, "reason"));
        assertEquals(GoogleStandIn.ALIAS, TillitEventLog.detail(locked, "identity_provider"));
        assertLockedForHours(id, 24); // the setting's default

        MimeMessage notice = Mails.to(mail, email, ADDED_SV);
        String text = Mails.part(notice, "text/plain");
        assertTrue(text.contains(GoogleStandIn.DISPLAY_NAME + " har lagts till som inloggningssätt för ditt Tillit-konto."), text);
        assertTrue(text.contains("uttag spärrade till"), text);
        assertTrue(Mails.part(notice, "text/html").contains("id=\"tillit-disown-link\""));
        link(text);
    }

    // ---- Case 3: recovering the account removes every way in that someone else may have linked

    @Test
    void afterAnAdminPasswordResetAndLogoutTheTelegramLinkNoLongerSignsIn() throws Exception {
        String email = TestUsers.freshEmail("link-reset-admin");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, null, PASSWORD, secret);
        String telegramId = TelegramWidget.freshUserId();
        linkByAdmin(id, telegramId);
        linkByAdmin(id, "google", "google-" + System.nanoTime());
        assertEquals(2, realm.admin().users().get(id).getFederatedIdentity().size());
        events.await("withdrawal_locked");
        events.await("withdrawal_locked");

        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("New-" + PASSWORD);
        password.setTemporary(false);
        realm.admin().users().get(id).resetPassword(password);
        realm.admin().users().get(id).logout();

        assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "every linked identity removed");
        EventRepresentation removed = events.await("linked_identities_removed");
        assertEquals("REMOVE_FEDERATED_IDENTITY", removed.getType());
        assertEquals(id, removed.getUserId());
        assertEquals("google,telegram", TillitEventLog.detail(removed, "identity_providers"));
        assertEquals("password_reset", TillitEventLog.detail(removed, "reason"));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals("password_reset", TillitEventLog.detail(locked, "reason"));
        MimeMessage notice = Mails.to(mail, email, "Withdrawals from your Tillit account are locked");
        String text = Mails.part(notice, "text/plain");
        assertTrue(text.contains("We removed these sign-in methods from your account: Google, Telegram."), text);

        assertTelegramNoLongerSignsIn(telegramId, id);
    }

    @Test
    void theResetFlowRemovesEveryLinkedIdentity() throws Exception {
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, null, phone, PASSWORD);
        swedish(id);
        String telegramId = TelegramWidget.freshUserId();
        linkByAdmin(id, telegramId);
        events.await("withdrawal_locked");
        sms.await(phone, 1); // the link's notice

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            ResetPages.start(browser, client, "sv", TestUsers.national(phone));
            SignupPages.enterCode(browser, SmsSink.codeIn(sms.await(phone, 2).text()));
            ResetPages.submitNewPassword(browser, "New-" + PASSWORD);
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }
        assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "every linked identity removed");
        EventRepresentation removed = events.await("linked_identities_removed");
        assertEquals(id, removed.getUserId());
        assertEquals("telegram", TillitEventLog.detail(removed, "identity_providers"));
        assertEquals("password_reset", TillitEventLog.detail(removed, "reason"));
        assertEquals("Telegram", TillitEventLog.detail(events.await("withdrawal_locked"), "linked_identities_removed"));

        assertTelegramNoLongerSignsIn(telegramId, id);
    }

    // ---- helpers

    /**
     * Signs in to Keycloak's account console with the password, then (when {@code totpSecret} is not null)
     * the authenticator app's code, which the console's sign-in then asks.
     */
    private void signInToTheAccountConsole(String email, String totpSecret) {
        browser.get(realm.getBaseUrl() + "/account");
        Browser.waitFor(browser, By.id("username")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        WebElement login = browser.findElement(By.id("kc-login"));
        login.click();
        Browser.pastBotCheck(browser, login);
        if (totpSecret != null) {
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(totpSecret));
            browser.findElement(By.id("kc-login")).click();
        }
    }

    /**
     * In the signed-in account console: "Account security", "Linked accounts", "Link" on the Google row,
     * Keycloak's confirmation, "Google"'s own sign-in, and back in the console, where Google is now among
     * the linked providers. Element ids and test ids are those of Keycloak 26.7's account UI
     * (js/apps/account-ui: PageNav, LinkedAccounts, AccountRow).
     */
    private void linkGoogleInTheAccountConsole(String googleUser, String locale) {
        Browser.waitFor(browser, By.cssSelector("[data-testid='accountSecurity'] > button")).click();
        Browser.waitFor(browser, By.cssSelector("a[data-testid='account-security/linked-accounts']")).click();
        Browser.waitFor(browser, By.cssSelector("#unlinked-idps #" + GoogleStandIn.ALIAS + "-idp-link")).click();
        // Keycloak's idp_link action first asks, on our sign-in pages, whether to link the provider.
        assertTrue(Browser.textOf(browser, By.id("kc-link-text")).contains(GoogleStandIn.DISPLAY_NAME),
                browser.getPageSource());
        Browser.screenshots(browser, "broker", "console-link-confirm-" + locale);
        browser.findElement(By.id("kc-continue")).click();
        GoogleStandIn.signIn(browser, googleUser);
        Browser.waitFor(browser, By.cssSelector("#linked-idps #" + GoogleStandIn.ALIAS + "-idp-unlink"));
        assertEquals(googleUser, Browser.textOf(browser, By.id(GoogleStandIn.ALIAS + "-idp-username")));
        // The console loads each list on its own: the other providers still to link are shown too before any shot.
        Browser.waitFor(browser, By.cssSelector("#unlinked-idps #telegram-idp-link"));
    }

    private void assertLinkedToGoogle(String userId, String googleUser) throws InterruptedException {
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(userId).getFederatedIdentity();
        assertEquals(1, links.size());
        assertEquals(GoogleStandIn.ALIAS, links.get(0).getIdentityProvider());
        assertEquals(googleUser, links.get(0).getUserName());
        EventRepresentation linked = events.awaitType("FEDERATED_IDENTITY_LINK", "identity_provider", GoogleStandIn.ALIAS);
        assertEquals(userId, linked.getUserId());
        assertEquals("account-console", linked.getClientId(), "linked from the account console");
    }

    private void linkByAdmin(String userId, String telegramId) {
        linkByAdmin(userId, "telegram", telegramId);
    }

    private void linkByAdmin(String userId, String alias, String providerUserId) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(alias);
        link.setUserId(providerUserId);
        link.setUserName(providerUserId);
        try (Response response = realm.admin().users().get(userId).addFederatedIdentity(alias, link)) {
            assertEquals(204, response.getStatus(), response.readEntity(String.class));
        }
    }

    private void swedish(String userId) {
        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        // An account without a phone number comes back without attributes.
        if (user.getAttributes() == null) {
            user.setAttributes(new java.util.HashMap<>());
        }
        user.getAttributes().put("locale", List.of("sv"));
        realm.admin().users().get(userId).update(user);
    }

    /** A signed widget payload for {@code telegramId} leads to the first-sign-in choice, not into {@code userId}. */
    private void assertTelegramNoLongerSignsIn(String telegramId, String userId) throws Exception {
        WebDriver attacker = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            attacker.get(TelegramWidget.callback(openWidget(attacker, client),
                    TelegramWidget.signed(TOKEN, telegramId, "Mallory", TelegramWidget.now())));
            Browser.waitFor(attacker, By.id("tillit-first-login-signup"));
            assertTrue(attacker.findElements(By.id("signed-in")).isEmpty());
        }
        assertTrue(realm.admin().users().get(userId).getUserSessions().isEmpty(), "no session of the account");
    }

    private static String openWidget(WebDriver browser, DemoWebClient client) {
        browser.get(client.authorizationUrl("en"));
        Browser.waitFor(browser, By.id("social-telegram")).click();
        Browser.waitFor(browser, By.id("tillit-telegram-widget"));
        return browser.findElement(By.cssSelector("#tillit-telegram-widget script")).getAttribute("data-auth-url");
    }

    private void assertLockedForHours(String userId, long hours) {
        List<String> values = realm.admin().users().get(userId).toRepresentation().getAttributes().get("withdrawal_locked_until");
        long until = Long.parseLong(values.get(0));
        long expected = System.currentTimeMillis() / 1000 + hours * 3600;
        assertTrue(Math.abs(until - expected) < 300, "locked until " + until + ", expected ~" + expected);
    }

    private SmsSink.Sms smsStartingWith(String phone, String start) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (SmsSink.Sms message : sms.to(phone)) {
                if (message.text().startsWith(start)) {
                    return message;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no SMS \"" + start + "…\" to " + phone + "; got " + sms.to(phone));
    }

    private static String link(String text) {
        Matcher m = LINK.matcher(text);
        assertTrue(m.find(), "no link in: " + text);
        assertFalse(m.group(1).isBlank());
        return m.group(1);
    }
}
