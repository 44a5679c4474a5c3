package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: link - email or phone + password" in the admin console's flow editor (first-broker-login flows). */
public class LinkAccountPasswordFormFactory implements RealmSettingsAuthenticatorFactory {

    @Override
    public Authenticator create(KeycloakSession session) {
        return new LinkAccountPasswordForm(session);
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
        return "Proves the existing account to link: Tillit's email-or-phone + password form, naming the identity provider.";
    }
}
