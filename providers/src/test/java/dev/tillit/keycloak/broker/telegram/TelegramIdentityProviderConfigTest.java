package dev.tillit.keycloak.broker.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TelegramIdentityProviderConfigTest {

    private static TelegramIdentityProviderConfig config(String bot, String token, String maxAge) {
        TelegramIdentityProviderConfig c = new TelegramIdentityProviderConfig();
        c.getConfig().put(TelegramIdentityProviderConfig.CLIENT_ID, bot);
        c.getConfig().put(TelegramIdentityProviderConfig.CLIENT_SECRET, token);
        if (maxAge != null) {
            c.getConfig().put(TelegramIdentityProviderConfig.MAX_AUTH_AGE, maxAge);
        }
        return c;
    }

    @Test
    void goodSettings() {
        TelegramIdentityProviderConfig c = config("@TillitLoginBot", "${vault.telegram-bot-token}", null);
        assertNull(c.configurationProblem(false));
        assertEquals("TillitLoginBot", c.getBotUsername());
        assertEquals(300, c.getMaxAuthAgeSeconds());
    }

    @Test
    void misconfigurationIsASentenceForTheAdmin() {
        assertTrue(config("Tillit", "${vault.t}", null).configurationProblem(true).contains("ending in 'bot'"));
        assertTrue(config("TillitBot", null, null).configurationProblem(true).contains("bot token"));
        assertTrue(config("TillitBot", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", null).configurationProblem(false)
                .contains("vault reference"));
        assertNull(config("TillitBot", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", null).configurationProblem(true));
        assertTrue(config("TillitBot", "not-a-token", null).configurationProblem(true).contains("not a bot token"));
        assertTrue(config("TillitBot", "${vault.t}", "5").configurationProblem(true).contains("between 30 and 86400"));
    }

    @Test
    void oidcModeNeedsTheBotIdAndAVaultSecretAndForcesTheChecksOn() {
        TelegramIdentityProviderConfig c = config("TillitLoginBot", "${vault.telegram-bot-token}", null);
        c.getConfig().put(TelegramIdentityProviderConfig.MODE, "oidc");
        assertTrue(c.configurationProblem(true).contains("numeric id"));
        c.getConfig().put(TelegramIdentityProviderConfig.OIDC_CLIENT_ID, "7000000001");
        assertTrue(c.configurationProblem(true).contains("OIDC client secret"));
        c.getConfig().put(TelegramIdentityProviderConfig.OIDC_CLIENT_SECRET, "plain-secret");
        assertNull(c.configurationProblem(true));
        assertTrue(c.configurationProblem(false).contains("vault reference"));
        c.getConfig().put(TelegramIdentityProviderConfig.OIDC_CLIENT_SECRET, "${vault.telegram-oidc-secret}");
        assertNull(c.configurationProblem(false));

        org.keycloak.broker.oidc.OIDCIdentityProviderConfig oidc = c.oidcConfig();
        assertEquals("https://oauth.telegram.org", oidc.getIssuer());
        assertEquals("https://oauth.telegram.org/auth", oidc.getAuthorizationUrl());
        assertEquals("https://oauth.telegram.org/token", oidc.getTokenUrl());
        assertEquals("https://oauth.telegram.org/.well-known/jwks.json", oidc.getJwksUrl());
        assertEquals("7000000001", oidc.getClientId());
        assertTrue(oidc.isValidateSignature() && oidc.isUseJwksUrl() && !oidc.isDisableNonce() && oidc.isPkceEnabled());
        assertEquals("S256", oidc.getPkceMethod());
        // https://core.telegram.org/bots/telegram-login: the code is exchanged with HTTP Basic client authentication.
        assertEquals("client_secret_basic", oidc.getClientAuthMethod());
        // The widget's settings are untouched by the OIDC view.
        assertEquals("TillitLoginBot", c.getBotUsername());

        c.getConfig().put(TelegramIdentityProviderConfig.MODE, "carrier-pigeon");
        assertTrue(c.configurationProblem(true).contains("widget or oidc"));
    }

    @Test
    void theAccountKeyIsTelegramsNumericId() {
        assertEquals("5123456789", TelegramLoginData.numericId(5123456789L));
        assertEquals("5123456789", TelegramLoginData.numericId(" 5123456789"));
        assertNull(TelegramLoginData.numericId("tg-sub-5123456789"));
        assertNull(TelegramLoginData.numericId(null));
        assertNull(TelegramLoginData.numericId("0"));
        assertNull(TelegramLoginData.numericId(-5L));
    }
}
