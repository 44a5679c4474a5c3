package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: link existing account or sign up" in the admin console's flow editor (first-broker-login flows). */
public class FirstLoginChoiceFactory implements RealmSettingsAuthenticatorFactory {

    @Override
    public Authenticator create(KeycloakSession session) {
        return new FirstLoginChoice();
    }

    @Override
    public String getId() {
        return FirstLoginFactories.CHOICE;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: link existing account or sign up";
    }

    @Override
    public String getReferenceCategory() {
        return "broker";
    }

    @Override
    public String getHelpText() {
        return "First sign-in with an identity provider: the person chooses to link an existing account (next steps: password, second factor) or to sign up (user agreement and privacy policy accepted and recorded). Never links by email.";
    }
}
