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
}
