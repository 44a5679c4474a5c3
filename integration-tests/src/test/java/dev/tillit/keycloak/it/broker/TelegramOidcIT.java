package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.OidcStandIn;
import dev.tillit.keycloak.it.support.TelegramWidget;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * Telegram's OpenID Connect login as the "oidc" mode of the same Telegram provider, against a local
 * OIDC stand-in that behaves as https://core.telegram.org/bots/telegram-login describes Telegram: RS256
 * id_tokens without a nonce, a JWKS that also lists ES256K and EdDSA keys, the code exchanged with the
 * client id and secret in HTTP Basic authentication only, PKCE S256. The account key is
 * Telegram's numeric user id in both modes: an account made through the widget is the account the
 * OIDC login reaches, whatever the per-bot {@code sub}; wrong id_tokens are refused.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class TelegramOidcIT {

    private static final int PORT = 3220;
    private static final String BOT_ID = "7000000001";
    private static final String SECRET = "telegram-oidc-test-secret";
    private static final Pattern AUTH_URL = Pattern.compile("data-auth-url=\"([^\"]+)\"");
    private static OidcStandIn telegram;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private IdentityProviderRepresentation asImported;

    @BeforeAll
    static void standIn() {
        telegram = new OidcStandIn(PORT);
        telegram.expectClient(BOT_ID, SECRET);
        telegram.publishTelegramKeys();
        TillitServerConfig.writeVaultEntry("telegram-oidc-secret", SECRET);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @BeforeEach
    void remember() {
        asImported = realm.admin().identityProviders().get("telegram").toRepresentation();
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void restore() {
        realm.admin().identityProviders().get("telegram").update(asImported);
        telegram.echoNonce(false);
    }

    private void oidcMode() {
        IdentityProviderRepresentation idp = realm.admin().identityProviders().get("telegram").toRepresentation();
        idp.getConfig().put("loginMode", "oidc");
        idp.getConfig().put("oidcClientId", BOT_ID);
        idp.getConfig().put("oidcClientSecret", "${vault.telegram-oidc-secret}");
        idp.getConfig().put("oidcIssuer", telegram.issuer());
        idp.getConfig().put("oidcAuthorizationUrl", telegram.issuer() + "/auth");
        idp.getConfig().put("oidcTokenUrl", telegram.issuer() + "/token");
        idp.getConfig().put("oidcJwksUrl", telegram.jwksUrl());
        realm.admin().identityProviders().get("telegram").update(idp);
    }

    /** Through the stand-in's /auth and back to Keycloak; returns the flow on whatever page Keycloak answers with. */
    private HttpLoginFlow signInWithOidc(DemoWebClient client) throws Exception {
        return new HttpLoginFlow().get(client.authorizationUrl("en")).follow("/broker/telegram/login");
    }

    private static Map<String, Object> person(String telegramId) {
        // Telegram's sub is per bot and is not the account key; id is the user's numeric id.
        return Map.of("sub", "tg-sub-" + telegramId + "-for-this-bot", "id", Long.parseLong(telegramId), "name", "Olle",
                "preferred_username", "olle" + telegramId);
    }

    @Test
    void anAccountMadeWithTheWidgetIsTheAccountOidcReaches() throws Exception {
        String telegramId = TelegramWidget.freshUserId();
        String userId;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl("en")).follow("/broker/telegram/login");
            Matcher authUrl = AUTH_URL.matcher(flow.page());
            assertTrue(authUrl.find(), flow.page());
            flow.get(TelegramWidget.callback(authUrl.group(1).replace("&amp;", "&"),
                    TelegramWidget.signed(TillitServerConfig.TELEGRAM_BOT_TOKEN, telegramId, "Olle", TelegramWidget.now())));
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("signed-in"), flow.page());
            userId = DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText();
        }

        oidcMode();
        telegram.next(person(telegramId), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInWithOidc(client);
            assertTrue(flow.page().contains("signed-in"), "straight in, no first-sign-in page: " + telegram.problems() + flow.page());
            assertEquals(userId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        assertEquals(List.of(), telegram.problems(), "client id and secret in HTTP Basic, and PKCE, as Telegram expects");
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(userId).getFederatedIdentity();
        assertEquals(1, links.size());
        assertEquals(telegramId, links.get(0).getUserId());
    }

    @Test
    void aNewTelegramUserSignsUpThroughOidcKeyedOnTheNumericId() throws Exception {
        oidcMode();
        String telegramId = TelegramWidget.freshUserId();
        telegram.next(person(telegramId), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInWithOidc(client);
            assertTrue(flow.page().contains("tillit-first-login-signup"), telegram.problems() + flow.page());
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("signed-in"), flow.page());
        }
        EventRepresentation signedUp = events.await("broker_signed_up");
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(signedUp.getUserId()).getFederatedIdentity();
        assertEquals("telegram", links.get(0).getIdentityProvider());
        assertEquals(telegramId, links.get(0).getUserId(), "keyed on the numeric id, not the per-bot sub");
        assertEquals("Olle", realm.admin().users().get(signedUp.getUserId()).toRepresentation().getFirstName());
        assertEquals(List.of(), telegram.problems(), "an id_token without a nonce, the code exchanged with HTTP Basic");
    }

    /** Should Telegram ever echo the nonce, it is checked: the right one passes (a wrong one is refused below). */
    @Test
    void aTokenThatCarriesThisSignInsNonceIsAccepted() throws Exception {
        oidcMode();
        telegram.echoNonce(true);
        telegram.next(person(TelegramWidget.freshUserId()), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInWithOidc(client);
            assertTrue(flow.page().contains("tillit-first-login-signup"), telegram.problems() + flow.page());
        }
    }

    /** A bot set to ES256K in BotFather: Keycloak cannot verify secp256k1, so the sign-in is refused (and the log names the setting). */
    @Test
    void anEs256kSignedTokenIsRefusedNamingTheReason() throws Exception {
        oidcMode();
        telegram.next(person(TelegramWidget.freshUserId()), Forge.ES256K);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String page = signInWithOidc(client).page();
            assertTrue(page.contains("We could not verify your sign-in with Telegram"), page);
            assertFalse(page.contains("tillit-first-login"), "reached the first-sign-in page");
        }
        assertEquals("signing_algorithm_unsupported", TillitEventLog.detail(events.await("broker_login_rejected"), "reason"));
    }

    @ParameterizedTest
    @EnumSource(value = Forge.class, names = {"WRONG_AUDIENCE", "EXPIRED", "ALG_NONE", "UNKNOWN_KID", "OTHER_SIGNER", "WRONG_ISSUER", "WRONG_NONCE"})
    void aWrongIdTokenIsRefused(Forge forge) throws Exception {
        oidcMode();
        telegram.next(person(TelegramWidget.freshUserId()), forge);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String page = signInWithOidc(client).page();
            assertTrue(page.contains("We could not verify your sign-in with Telegram"), forge + ": " + page);
            assertFalse(page.contains("tillit-first-login"), forge + " reached the first-sign-in page");
        }
        EventRepresentation event = events.await("broker_login_rejected");
        assertEquals("telegram", TillitEventLog.detail(event, "identity_provider"));
        assertEquals(forge == Forge.WRONG_NONCE ? "nonce_mismatch" : "id_token_invalid", TillitEventLog.detail(event, "reason"), forge.name());
    }

    @Test
    void aTokenWithoutTelegramsNumericIdIsRefused() throws Exception {
        oidcMode();
        telegram.next(Map.of("sub", "tg-sub-without-id", "name", "Nobody"), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String page = signInWithOidc(client).page();
            assertTrue(page.contains("We could not verify your sign-in with Telegram"), page);
        }
        assertEquals("no_telegram_id", TillitEventLog.detail(events.await("broker_login_rejected"), "reason"));
    }

    /** In OIDC mode the widget's callback is gone: a correctly signed widget payload no longer signs anyone in. */
    @Test
    void theWidgetPathIsClosedInOidcMode() throws Exception {
        oidcMode();
        HttpLoginFlow flow = new HttpLoginFlow().get(realm.getBaseUrl() + "/broker/telegram/endpoint/widget/anystate?"
                + "id=1&hash=0");
        assertFalse(flow.page().contains("tillit-first-login"), flow.page());
    }
}
