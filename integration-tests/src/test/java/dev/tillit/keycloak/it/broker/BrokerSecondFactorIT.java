package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.AppleStandIn.Person;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.OidcStandIn;
import dev.tillit.keycloak.it.support.Passkeys;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.TelegramWidget;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * A linked identity is no way around the second factor (issue 18, cases 1 and 4). After Telegram's
 * widget, Apple (stand-in) or Google (an OpenID Connect stand-in wired as an operator wires a provider
 * they add: first-login flow and post login flow), an account that holds an authenticator app, an SMS
 * code, a passkey (Chromium's virtual authenticator) or recovery codes is asked for it: a wrong answer
 * gets no authorization code and no LOGIN event, the right one signs in (tokens say {@code acr} 2, {@code amr}
 * the provider and the factor); a trusted device skips it ({@code acr} 1), and a step-up on that session asks the
 * factor, not a password. An account without a second factor signs in at level 1.
 * "Link existing account" asks a passkey-only and a recovery-code-only account for that factor, and the
 * post login flow that follows the link does not ask again.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class BrokerSecondFactorIT extends SmsGatewayTest {

    private static final String TOKEN = TillitServerConfig.TELEGRAM_BOT_TOKEN;
    private static final String PASSWORD = "Broker-Passw0rd!";
    private static final String POST_LOGIN_FLOW = "tillit post broker login";
    private static final String GOOGLE = "google-standin";
    private static final int GOOGLE_PORT = 3240;
    private static final String GOOGLE_CLIENT = "tillit-web.apps.example";
    private static final String GOOGLE_SECRET = "google-standin-secret";
    private static final String WRONG_RECOVERY_CODE = "That recovery code is not correct. Check the number and try again.";

    private static AppleStandIn apple;
    private static OidcStandIn google;

    private IdentityProviderRepresentation appleAsImported;
    private VirtualAuthenticator authenticator;

    @BeforeAll
    static void standIns() {
        apple = new AppleStandIn();
        TillitServerConfig.writeVaultEntry(AppleStandIn.VAULT_KEY, apple.operatorKeyPem());
        google = new OidcStandIn(GOOGLE_PORT);
        google.expectClient(GOOGLE_CLIENT, GOOGLE_SECRET);
        google.actAsGoogle();
    }

    @AfterAll
    static void stopStandIns() {
        apple.close();
        google.close();
    }

    @BeforeEach
    void providers() {
        appleAsImported = AppleStandIn.pointAt(realm, Map.of());
        // Google played by the OIDC stand-in, added as an operator adds a provider: both flows named.
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(GOOGLE);
        idp.setDisplayName("Google (stand-in)");
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setTrustEmail(true);
        idp.setFirstBrokerLoginFlowAlias("tillit first broker login");
        idp.setPostBrokerLoginFlowAlias(POST_LOGIN_FLOW);
        Map<String, String> config = new HashMap<>();
        config.put("clientId", GOOGLE_CLIENT);
        config.put("clientSecret", GOOGLE_SECRET);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("issuer", google.issuer());
        config.put("authorizationUrl", google.issuer() + "/auth");
        config.put("tokenUrl", google.issuer() + "/token");
        config.put("jwksUrl", google.jwksUrl());
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        config.put("disableUserInfo", "true");
        config.put("defaultScope", "openid email profile");
        config.put("syncMode", "IMPORT");
        idp.setConfig(config);
        realm.admin().identityProviders().create(idp).close();
    }

    @AfterEach
    void restoreProviders() {
        AppleStandIn.restore(realm, appleAsImported);
        realm.admin().identityProviders().get(GOOGLE).remove();
        Passkeys.remove(browser, authenticator);
    }

    // ---- A returning linked identity: the factor is asked after the provider

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void telegramIsFollowedByTheAuthenticatorApp(String locale) throws Exception {
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, TestUsers.freshEmail("idp-otp"), null, PASSWORD, secret);
        String telegramId = TelegramWidget.freshUserId();
        link(id, "telegram", telegramId);
        int before = logins(id);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, locale, telegramId);
            Browser.waitFor(browser, By.id("otp"));
            Browser.screenshots(browser, "broker", "second-factor-after-telegram-" + locale);

            browser.findElement(By.id("otp")).sendKeys(SecondFactorPages.otherThan(Totp.now(secret)));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("input-error-otp"));
            Browser.screenshots(browser, "broker", "second-factor-after-telegram-wrong-" + locale);
            assertNothingIssued(client, id, before);

            browser.findElement(By.id("otp")).clear();
            browser.findElement(By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = accessClaims(client);
            assertEquals(id, access.get("sub").asText());
            // The provider and the factor after it: two factors, as after the password.
            assertEquals("2", access.get("acr").asText());
            assertEquals(Set.of("fed", "otp", "mfa"), amr(access));
        }
        EventRepresentation failed = events.awaitType("IDENTITY_PROVIDER_POST_LOGIN_ERROR", null, null);
        assertEquals(id, failed.getUserId());
        assertEquals("invalid_user_credentials", failed.getError());
        assertSignedInAfterTheFactor(id, "telegram", failed);
    }

    @Test
    void appleIsFollowedByTheSmsCode() throws Exception {
        String email = TestUsers.freshEmail("idp-sms");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SecondFactorPages.SMS);
        Person person = new Person("001" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".apple",
                email, true, "Märta", "Lind");
        link(id, "apple", person.sub());
        apple.next(person, Forge.NONE);
        int before = logins(id);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("en"));
            Browser.waitFor(browser, By.id("social-apple")).click();
            Browser.waitFor(browser, By.id("tillit-code-form"));
            String code = sms.awaitCode(phone, 1);

            SignupPages.enterCode(browser, SecondFactorPages.otherThan(code));
            assertFalse(SignupPages.codeError(browser).isEmpty(), "a wrong code is refused");
            assertNothingIssued(client, id, before);

            SignupPages.enterCode(browser, code);
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(id, subject(client));
        }
        EventRepresentation failed = events.await("code_failed");
        assertEquals(id, failed.getUserId());
        assertSignedInAfterTheFactor(id, "apple", failed);
    }

    @Test
    void googleIsFollowedByARecoveryCode() throws Exception {
        String email = TestUsers.freshEmail("idp-recovery");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        List<String> codes = recoveryCodesFor(id, email);
        String sub = "g-" + UUID.randomUUID();
        link(id, GOOGLE, sub);
        google.next(Map.of("sub", sub, "email", email, "email_verified", true), Forge.NONE);
        int before = logins(id);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("en"));
            Browser.waitFor(browser, By.id("social-" + GOOGLE)).click();
            assertEquals("Recovery code number 1", Passkeys.askedCodeLabel(browser));

            // Another of the account's codes is not the one asked for.
            Passkeys.enterRecoveryCode(browser, codes.get(1));
            assertEquals(WRONG_RECOVERY_CODE, Browser.textOf(browser, By.id("input-error-recoveryCodeInput")).trim());
            assertNothingIssued(client, id, before);

            Passkeys.enterRecoveryCode(browser, codes.get(0));
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(id, subject(client));
        }
        assertEquals(List.of(), google.problems());
        EventRepresentation failed = events.awaitType("IDENTITY_PROVIDER_POST_LOGIN_ERROR", null, null);
        assertEquals(id, failed.getUserId());
        assertSignedInAfterTheFactor(id, GOOGLE, failed);
    }

    @Test
    void telegramIsFollowedByThePasskey() throws Exception {
        authenticator = Passkeys.add(browser);
        String email = TestUsers.freshEmail("idp-passkey");
        String id = accountWithPasskey(email);
        String telegramId = TelegramWidget.freshUserId();
        link(id, "telegram", telegramId);
        int before = logins(id);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "en", telegramId);
            assertEquals("Confirm with your passkey", Browser.pageTitle(browser, "Confirm with your passkey"));
            assertNothingIssued(client, id, before);
            // "Try another way" offers what the browser's sign-in offers.
            Browser.waitFor(browser, By.id("try-another-way")).click();
            Browser.waitFor(browser, By.xpath("//h2[normalize-space()='Recovery code']"));
            Browser.screenshots(browser, "broker", "second-factor-after-telegram-choose-en");
            SecondFactorPages.choose(browser, "Passkey");
            Passkeys.authenticate(browser);
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(id, subject(client));
        }
        assertEquals(id, events.awaitType("LOGIN", "identity_provider", "telegram").getUserId());
    }

    @Test
    void aTrustedDeviceSkipsTheFactorAfterTheProvider() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("idp-trusted");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SecondFactorPages.SMS);
        String telegramId = TelegramWidget.freshUserId();
        link(id, "telegram", telegramId);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "en", telegramId);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            Browser.waitFor(browser, By.id("trust-device")).click();
            browser.findElement(By.id("tillit-trust-device-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = accessClaims(client);
            assertEquals("2", access.get("acr").asText());
            assertEquals(Set.of("fed", "sms", "mfa"), amr(access));
        }
        assertEquals(id, events.await("device_trusted").getUserId());
        Map<String, Object> trust = cookie("TILLIT_TRUSTED_DEVICE");
        assertNotNull(trust, "the trust cookie is set");

        // A new browser session with only the trust cookie: Telegram, then straight in.
        browser = Browser.get();
        setCookie(trust);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "en", telegramId);
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = accessClaims(client);
            assertEquals(id, access.get("sub").asText());
            assertEquals("1", access.get("acr").asText(), "a trusted device: the provider alone");
            assertEquals(Set.of("fed"), amr(access));
        }
        assertEquals(1, sms.codesTo(phone).size(), "no code for a trusted device");
        EventRepresentation skipped = events.await("second_factor_skipped");
        assertEquals(id, skipped.getUserId());
        assertEquals("IDENTITY_PROVIDER_POST_LOGIN", skipped.getType());

        // A withdrawal asks acr_values=2 on that session: a step-up asks the SMS code, not a password
        // (the session began at Telegram), and the token says 2.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("en") + "&acr_values=2");
            Browser.waitFor(browser, By.cssSelector("#tillit-code-form, #password"));
            assertTrue(browser.findElements(By.id("password")).isEmpty(), "not the password");
            assertTrue(SecondFactorPages.onCodePage(browser), "the second factor is asked");
            SignupPages.enterCode(browser, sms.awaitCode(phone, 2));
            Browser.waitFor(browser, By.id("tillit-trust-device-continue")).click(); // offered again, declined
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = accessClaims(client);
            assertEquals(id, access.get("sub").asText());
            assertEquals("2", access.get("acr").asText());
            assertEquals(Set.of("fed", "sms", "mfa"), amr(access));
        }
    }

    @Test
    void aProviderSignInOfAnAccountWithoutASecondFactorIsOneFactor() throws Exception {
        String id = TestUsers.create(realm, TestUsers.freshEmail("idp-one"), null, PASSWORD);
        String telegramId = TelegramWidget.freshUserId();
        link(id, "telegram", telegramId);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "en", telegramId);
            Browser.waitFor(browser, By.id("signed-in"));
            JsonNode access = accessClaims(client);
            assertEquals(id, access.get("sub").asText());
            assertEquals("1", access.get("acr").asText());
            assertEquals(Set.of("fed"), amr(access));
        }
    }

    // ---- "Link existing account" asks every factor, once

    @Test
    void linkingAPasskeyOnlyAccountAsksThePasskeyOnce() throws Exception {
        authenticator = Passkeys.add(browser);
        String email = TestUsers.freshEmail("link-passkey");
        String id = accountWithPasskey(email);
        for (CredentialRepresentation credential : realm.admin().users().get(id).credentials()) {
            if (Passkeys.RECOVERY_CODES.equals(credential.getType())) {
                realm.admin().users().get(id).removeCredential(credential.getId());
            }
        }
        assertFalse(SecondFactorPages.credentialTypes(realm, id).contains(Passkeys.RECOVERY_CODES));
        String telegramId = TelegramWidget.freshUserId();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "en", telegramId);
            linkWithPassword(email);
            assertEquals("Confirm with your passkey", Browser.pageTitle(browser, "Confirm with your passkey"));
            Browser.screenshots(browser, "broker", "link-passkey-en");
            assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "nothing linked on the password alone");
            Passkeys.authenticate(browser);
            Browser.waitFor(browser, By.id("tillit-linked"));
            browser.findElement(By.id("tillit-linked-continue")).click();
            // The post login flow that follows does not ask the passkey again.
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(id, subject(client));
        }
        assertEquals(telegramId, realm.admin().users().get(id).getFederatedIdentity().get(0).getUserId());
        assertEquals(id, events.await("broker_link_confirmed").getUserId());
    }

    @Test
    void linkingARecoveryCodeOnlyAccountAsksARecoveryCodeOnce() throws Exception {
        String email = TestUsers.freshEmail("link-recovery");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        List<String> codes = recoveryCodesFor(id, email);
        String telegramId = TelegramWidget.freshUserId();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            telegram(client, "sv", telegramId);
            linkWithPassword(email);
            Browser.waitFor(browser, By.id("recoveryCodeInput"));
            Browser.screenshots(browser, "broker", "link-recovery-code-sv");
            Passkeys.enterRecoveryCode(browser, codes.get(1));
            Browser.waitFor(browser, By.id("input-error-recoveryCodeInput"));
            assertTrue(realm.admin().users().get(id).getFederatedIdentity().isEmpty(), "nothing linked on a wrong code");
            assertFalse(client.calledBack());

            Passkeys.enterRecoveryCode(browser, codes.get(0));
            Browser.waitFor(browser, By.id("tillit-linked"));
            browser.findElement(By.id("tillit-linked-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            assertEquals(id, subject(client));
        }
        assertEquals(telegramId, realm.admin().users().get(id).getFederatedIdentity().get(0).getUserId());
    }

    // ---- helpers

    /** Links {@code providerUserId} at {@code alias} to the account, as an earlier "Link existing account" did. */
    private void link(String userId, String alias, String providerUserId) {
        FederatedIdentityRepresentation identity = new FederatedIdentityRepresentation();
        identity.setIdentityProvider(alias);
        identity.setUserId(providerUserId);
        identity.setUserName(providerUserId);
        realm.admin().users().get(userId).addFederatedIdentity(alias, identity).close();
    }

    /** From the client's sign-in page through Telegram's widget (a payload signed as Telegram signs it). */
    private void telegram(DemoWebClient client, String locale, String telegramId) {
        // The sign-in form offers passkey autofill, which the virtual authenticator would answer at once.
        List<Credential> held = authenticator == null ? List.of() : Passkeys.hide(authenticator);
        browser.get(client.authorizationUrl(locale));
        Browser.waitFor(browser, By.id("social-telegram")).click();
        Browser.waitFor(browser, By.id("tillit-telegram-widget"));
        if (authenticator != null) {
            Passkeys.restore(authenticator, held);
        }
        String authUrl = browser.findElement(By.cssSelector("#tillit-telegram-widget script")).getAttribute("data-auth-url");
        browser.get(TelegramWidget.callback(authUrl, TelegramWidget.signed(TOKEN, telegramId, "Ebba", TelegramWidget.now())));
    }

    /** On the first-sign-in page: "Link existing account", then the account's email and password. */
    private void linkWithPassword(String email) {
        // Hidden before the link form opens: its passkey autofill would answer at once, before the password.
        List<Credential> held = authenticator == null ? List.of() : Passkeys.hide(authenticator);
        Browser.waitFor(browser, By.id("tillit-link-existing")).click();
        Browser.waitFor(browser, By.id("username")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(d -> d.findElements(By.id("password")).isEmpty());
        if (authenticator != null) {
            Passkeys.restore(authenticator, held);
        }
    }

    /** The browser has not come back to the client, and no LOGIN was recorded for the account since {@code logins}. */
    private void assertNothingIssued(DemoWebClient client, String userId, int logins) {
        assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
        assertFalse(client.calledBack(), "no authorization code before the second factor");
        assertEquals(logins, events.ofType("LOGIN", userId).size(), "no LOGIN before the second factor");
    }

    private int logins(String userId) {
        return events.ofType("LOGIN", userId).size();
    }

    /** LOGIN for the account through {@code alias}, after the refused attempt {@code failed}. */
    private void assertSignedInAfterTheFactor(String userId, String alias, EventRepresentation failed) throws Exception {
        EventRepresentation login = events.awaitType("LOGIN", "identity_provider", alias);
        assertEquals(userId, login.getUserId());
        assertTrue(login.getTime() >= failed.getTime(), "LOGIN only after the second factor");
    }

    private static String subject(DemoWebClient client) throws Exception {
        return accessClaims(client).get("sub").asText();
    }

    /** The claims of the access token the client gets for the sign-in (its code is redeemed once). */
    private static JsonNode accessClaims(DemoWebClient client) throws Exception {
        return DemoWebClient.claims(client.awaitTokens().get("access_token").asText());
    }

    private static Set<String> amr(JsonNode claims) {
        Set<String> values = new HashSet<>();
        claims.path("amr").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Keycloak's recovery codes set up at a password sign-in (the account's only second factor); leaves the browser signed out. */
    private List<String> recoveryCodesFor(String id, String email) throws Exception {
        requireAction(id, "CONFIGURE_RECOVERY_AUTHN_CODES");
        List<String> codes;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            codes = Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertEquals(List.of(Passkeys.RECOVERY_CODES), SecondFactorPages.credentialTypes(realm, id).stream()
                .filter(t -> !CredentialRepresentation.PASSWORD.equals(t)).toList());
        browser = Browser.get();
        return codes;
    }

    /** A password account whose passkey was registered at a sign-in (recovery codes saved after it); leaves the browser signed out. */
    private String accountWithPasskey(String email) throws Exception {
        String id = TestUsers.create(realm, email, null, PASSWORD);
        requireAction(id, Passkeys.REGISTER_PASSKEY);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Passkeys.register(browser, "Key of " + email);
            Passkeys.saveRecoveryCodes(browser);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        browser = Browser.get();
        return id;
    }

    private void requireAction(String id, String action) {
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(action));
        realm.admin().users().get(id).update(rep);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cookie(String name) {
        Map<String, Object> all = ((ChromeDriver) browser).executeCdpCommand("Network.getAllCookies", Map.of());
        for (Map<String, Object> c : (List<Map<String, Object>>) all.get("cookies")) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        return null;
    }

    private void setCookie(Map<String, Object> cookie) {
        ((ChromeDriver) browser).executeCdpCommand("Network.setCookie", Map.of(
                "name", cookie.get("name"), "value", cookie.get("value"), "domain", cookie.get("domain"),
                "path", cookie.get("path"), "httpOnly", cookie.get("httpOnly"), "expires", cookie.get("expires")));
    }
}
