package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: reset — identify by email or phone + code", first step of the reset-credentials flow. */
public class ResetIdentifyFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-reset-identify";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new ResetIdentify();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: reset — identify by email or phone + code";
    }

    @Override
    public String getHelpText() {
        return "Asks for an email or phone number and verifies it with a one-time code; answers identically whether or not an account exists.";
    }

    @Override
    public String getReferenceCategory() {
        return "reset-credentials";
    }
}
