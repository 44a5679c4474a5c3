package dev.tillit.keycloak.broker.telegram;

import java.util.regex.Pattern;

import dev.tillit.keycloak.ServerMode;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * The Telegram provider's settings. The admin console shows every social provider with "Client ID"
 * and "Client Secret"; for Telegram these are the bot's username and the bot token (a vault
 * reference such as {@code ${vault.telegram-bot-token}}), as BotFather gives them.
 */
public class TelegramIdentityProviderConfig extends IdentityProviderModel {

    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String MAX_AUTH_AGE = "maxAuthAgeSeconds";
    public static final String WIDGET_SCRIPT = "widgetScriptUrl";

    public static final int DEFAULT_MAX_AUTH_AGE = 300;
    public static final String DEFAULT_WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";
    /** Where the widget's iframe comes from: allowed as a frame source on the widget page only. */
    public static final String WIDGET_FRAME_ORIGIN = "https://oauth.telegram.org";

    private static final Pattern BOT_USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{3,31}");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");
    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{5,20}:[A-Za-z0-9_-]{30,}");

    public TelegramIdentityProviderConfig() {
    }

    public TelegramIdentityProviderConfig(IdentityProviderModel model) {
        super(model);
    }

    public String getBotUsername() {
        String name = getConfig().get(CLIENT_ID);
        return name == null ? null : name.trim().replaceFirst("^@", "");
    }

    public String getBotTokenReference() {
        return getConfig().get(CLIENT_SECRET);
    }

    public int getMaxAuthAgeSeconds() {
        try {
            String value = getConfig().get(MAX_AUTH_AGE);
            return value == null || value.isBlank() ? DEFAULT_MAX_AUTH_AGE : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_AUTH_AGE;
        }
    }

    public String getWidgetScriptUrl() {
        String value = getConfig().get(WIDGET_SCRIPT);
        return value == null || value.isBlank() ? DEFAULT_WIDGET_SCRIPT : value.trim();
    }

    /** Checked when an admin saves the provider: a clear sentence instead of a broken sign-in later. */
    @Override
    public void validate(RealmModel realm) {
        super.validate(realm);
        String problem = configurationProblem(ServerMode.isDevelopment());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with the stored settings (without looking into the vault), or null. */
    public String configurationProblem(boolean developmentMode) {
        String bot = getBotUsername();
        if (bot == null || !BOT_USERNAME.matcher(bot).matches() || !bot.toLowerCase().endsWith("bot")) {
            return "Telegram: \"Client ID\" must be the bot's username as BotFather shows it (letters, digits, '_', ending in 'bot'), e.g. TillitLoginBot.";
        }
        String token = getBotTokenReference();
        if (token == null || token.isBlank()) {
            return "Telegram: \"Client Secret\" must hold the bot token, as a vault reference such as ${vault.telegram-bot-token}.";
        }
        if (!VAULT_REFERENCE.matcher(token.trim()).matches()) {
            if (!developmentMode) {
                return "Telegram: \"Client Secret\" must be a vault reference such as ${vault.telegram-bot-token}: a plain bot token is accepted only in development mode (start-dev).";
            }
            if (!BOT_TOKEN.matcher(token.trim()).matches()) {
                return "Telegram: \"Client Secret\" is not a bot token (BotFather's token looks like 123456789:AA...).";
            }
        }
        int age = getMaxAuthAgeSeconds();
        if (age < 30 || age > 86400) {
            return "Telegram: \"Maximum age of a sign-in\" must be between 30 and 86400 seconds.";
        }
        return null;
    }

    /** The bot token from the vault (or the plain value in development mode); null when it cannot be had. */
    public String resolveBotToken(KeycloakSession session) {
        String reference = getBotTokenReference();
        if (reference == null) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference.trim())) {
            String token = secret.get().orElse(null);
            if (token == null || token.isBlank() || VAULT_REFERENCE.matcher(token).matches()) {
                return null;
            }
            return token.trim();
        }
    }
}
