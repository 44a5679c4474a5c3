package dev.tillit.keycloak.broker.telegram;

import java.util.List;

import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** "Telegram" among the admin console's social identity providers. */
public class TelegramIdentityProviderFactory extends AbstractIdentityProviderFactory<TelegramIdentityProvider>
        implements SocialIdentityProviderFactory<TelegramIdentityProvider> {

    public static final String ID = "tillit-telegram";

    @Override
    public String getName() {
        return "Telegram";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public TelegramIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new TelegramIdentityProvider(session, new TelegramIdentityProviderConfig(model));
    }

    @Override
    public TelegramIdentityProviderConfig createConfig() {
        return new TelegramIdentityProviderConfig();
    }

    @Override
    public String getHelpText() {
        return "Telegram Login Widget. Client ID: the bot's username; Client Secret: the bot token as a vault reference "
                + "(${vault.telegram-bot-token}). In BotFather, /setdomain must name this server's host, or the widget "
                + "shows 'Bot domain invalid'.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(TelegramIdentityProviderConfig.MODE).label("Login mode")
                .helpText("widget: the Telegram Login Widget (Client ID = bot username, Client Secret = bot token). oidc: Telegram's "
                        + "OpenID Connect login (the OIDC fields below). Accounts are keyed on the Telegram user id in both, so switching "
                        + "never makes a second account.")
                .type(ProviderConfigProperty.LIST_TYPE).options(TelegramIdentityProviderConfig.MODE_WIDGET, TelegramIdentityProviderConfig.MODE_OIDC)
                .defaultValue(TelegramIdentityProviderConfig.MODE_WIDGET).add()
                .property().name(TelegramIdentityProviderConfig.OIDC_CLIENT_ID).label("OIDC client ID")
                .helpText("oidc mode: the bot's numeric id (BotFather → Bot Settings → Login Widget).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TelegramIdentityProviderConfig.OIDC_CLIENT_SECRET).label("OIDC client secret")
                .helpText("oidc mode: the bot's OpenID Connect client secret from BotFather, as a vault reference (${vault.telegram-oidc-secret}).")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(TelegramIdentityProviderConfig.MAX_AUTH_AGE)
                .label("Maximum age of a sign-in (seconds)")
                .helpText("A Telegram sign-in whose auth_date is older than this is refused (30-86400; default "
                        + TelegramIdentityProviderConfig.DEFAULT_MAX_AUTH_AGE + "). Each sign-in is accepted once in any case.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(String.valueOf(TelegramIdentityProviderConfig.DEFAULT_MAX_AUTH_AGE)).add()
                .property().name(TelegramIdentityProviderConfig.WIDGET_SCRIPT)
                .label("Widget script")
                .helpText("Address of Telegram's widget script; leave the default (" + TelegramIdentityProviderConfig.DEFAULT_WIDGET_SCRIPT + ").")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(TelegramIdentityProviderConfig.DEFAULT_WIDGET_SCRIPT).add()
                .build();
    }
}
