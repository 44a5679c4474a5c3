package dev.tillit.keycloak.captcha;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/**
 * "Tillit: bot check", the step that proves a person is at the keyboard before sign-up or reset
 * sends a code, and after the password at sign-in. What it uses (proof-of-work or a widget, keys,
 * difficulty) is realm-wide, on the Tillit tab, so every flow asks the same check.
 */
public class BotCheckAuthenticatorFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-bot-check";

    /** One HTTP client for every siteverify call of this server (see {@link SiteVerifier}). */
    private final SiteVerifier siteVerifier = new SiteVerifier();

    @Override
    public Authenticator create(KeycloakSession session) {
        return new BotCheckAuthenticator(siteVerifier);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: bot check";
    }

    @Override
    public String getHelpText() {
        return "Proves a person is at the keyboard (Tillit's proof-of-work, or Turnstile / hCaptcha / reCAPTCHA v3 as"
                + " chosen on the Tillit tab). Place it before any step that sends a code.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }
}
