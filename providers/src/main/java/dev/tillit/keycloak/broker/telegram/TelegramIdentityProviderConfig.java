package dev.tillit.keycloak.broker.telegram;

import java.util.HashMap;
import java.util.regex.Pattern;

import dev.tillit.keycloak.ServerMode;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
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
    /** {@code widget} (the Login Widget, default) or {@code oidc} (Telegram's OpenID Connect login). */
    public static final String MODE = "loginMode";
    public static final String MODE_WIDGET = "widget";
    public static final String MODE_OIDC = "oidc";
    public static final String OIDC_CLIENT_ID = "oidcClientId";
    public static final String OIDC_CLIENT_SECRET = "oidcClientSecret";
    public static final String OIDC_ISSUER = "oidcIssuer";
    public static final String OIDC_AUTHORIZATION_URL = "oidcAuthorizationUrl";
    public static final String OIDC_TOKEN_URL = "oidcTokenUrl";
    public static final String OIDC_JWKS_URL = "oidcJwksUrl";
    public static final String TELEGRAM_ISSUER = "https://oauth.telegram.org";

    public static final int DEFAULT_MAX_AUTH_AGE = 300;
    public static final String DEFAULT_WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";
    /** Where the widget's iframe comes from: allowed as a frame source on the widget page only. */
    public static final String WIDGET_FRAME_ORIGIN = "https://oauth.telegram.org";

    private static final Pattern BOT_USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{3,31}");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");
    private static final Pattern BOT_ID = Pattern.compile("[1-9][0-9]{4,19}");
    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{5,20}:[A-Za-z0-9_-]{30,}");

    public TelegramIdentityProviderConfig() {
    }

    public TelegramIdentityProviderConfig(IdentityProviderModel model) {
        super(model);
    }

    public boolean isOidcMode() {
        return MODE_OIDC.equalsIgnoreCase(String.valueOf(getConfig().get(MODE)).trim());
    }

    private String setting(String key, String fallback) {
        String value = getConfig().get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * The OpenID Connect side as Keycloak's OIDC broker wants it: Telegram's endpoints (overridable only so
     * tests can use a stand-in), the bot's OIDC client id and secret, and the checks forced on (JWKS
     * signature, state, PKCE S256, no userinfo: the id_token is the only source of identity).
     *
     * <p>As Telegram documents its OpenID Connect login (https://core.telegram.org/bots/telegram-login):
     * the authorization code flow with PKCE, and the code exchanged at {@code /token} with the bot's
     * client id and secret in HTTP Basic authentication ({@code client_secret_basic}). That page names no
     * {@code nonce} and Telegram's id_tokens carry none, so the flow rests on state and PKCE S256; Keycloak
     * still sends a nonce (an unknown parameter, which RFC 6749 §3.1 has the server ignore), and
     * {@link TelegramOidcProvider} checks it only when a token carries one.
     */
    public OIDCIdentityProviderConfig oidcConfig() {
        IdentityProviderModel copy = new IdentityProviderModel(this);
        copy.setConfig(new HashMap<>(getConfig()));
        OIDCIdentityProviderConfig oidc = new OIDCIdentityProviderConfig(copy);
        String issuer = setting(OIDC_ISSUER, TELEGRAM_ISSUER);
        oidc.setIssuer(issuer);
        oidc.setAuthorizationUrl(setting(OIDC_AUTHORIZATION_URL, issuer + "/auth"));
        oidc.setTokenUrl(setting(OIDC_TOKEN_URL, issuer + "/token"));
        oidc.setJwksUrl(setting(OIDC_JWKS_URL, issuer + "/.well-known/jwks.json"));
        oidc.setClientId(setting(OIDC_CLIENT_ID, null));
        oidc.setClientSecret(setting(OIDC_CLIENT_SECRET, null));
        oidc.setClientAuthMethod(OIDCLoginProtocol.CLIENT_SECRET_BASIC);
        oidc.setUseJwksUrl(true);
        oidc.setValidateSignature(true);
        oidc.setDisableNonce(false);
        oidc.getConfig().put("disableUserInfo", "true");
        oidc.setPkceEnabled(true);
        oidc.setPkceMethod("S256");
        oidc.setDefaultScope("openid profile");
        oidc.setStoreToken(false);
        return oidc;
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
        if (isOidcMode()) {
            return oidcConfigurationProblem(developmentMode);
        }
        String mode = getConfig().get(MODE);
        if (mode != null && !mode.isBlank() && !MODE_WIDGET.equalsIgnoreCase(mode.trim())) {
            return "Telegram: \"Login mode\" must be widget or oidc.";
        }
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

    private String oidcConfigurationProblem(boolean developmentMode) {
        String clientId = setting(OIDC_CLIENT_ID, null);
        if (clientId == null || !BOT_ID.matcher(clientId).matches()) {
            return "Telegram: \"OIDC client ID\" must be the bot's numeric id (BotFather → Bot Settings → Login Widget → Client ID).";
        }
        String secret = setting(OIDC_CLIENT_SECRET, null);
        if (secret == null) {
            return "Telegram: \"OIDC client secret\" must hold the bot's OpenID Connect client secret, as a vault reference such as ${vault.telegram-oidc-secret}.";
        }
        if (!developmentMode && !VAULT_REFERENCE.matcher(secret).matches()) {
            return "Telegram: \"OIDC client secret\" must be a vault reference such as ${vault.telegram-oidc-secret}: a plain secret is accepted only in development mode (start-dev).";
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
