package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.captcha.BotCheck;
import dev.tillit.keycloak.captcha.SiteVerifier;
import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: link - email or phone + password" in the admin console's flow editor (first-broker-login flows). */
public class LinkAccountPasswordFormFactory implements RealmSettingsAuthenticatorFactory {

    /** One HTTP client for this form's siteverify calls (see {@link SiteVerifier}); no realm state. */
    private final BotCheck botCheck = new BotCheck(new SiteVerifier());

    @Override
    public Authenticator create(KeycloakSession session) {
        return new LinkAccountPasswordForm(session, botCheck);
    }

    @Override
    public String getId() {
        return FirstLoginFactories.LINK_PASSWORD;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: link - email or phone + password";
    }

    @Override
    public String getReferenceCategory() {
        return "password";
    }

    @Override
    public String getHelpText() {
        return "Proves the existing account to link: Tillit's email-or-phone + password form, naming the identity provider."
                + " Carries the realm's bot check (Tillit tab) on the same page and judges it before any password.";
    }
}
