package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: reset — new password, sign out everywhere, withdrawal lock", last step of the reset flow. */
public class ResetNewPasswordFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-reset-password";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new ResetNewPassword();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: reset — new password and withdrawal lock";
    }

    @Override
    public String getHelpText() {
        return "Sets the new password (realm policy), ends all of the user's sessions, locks withdrawals for the "
                + "configured time and notifies the user. Put any second factor before this step.";
    }

    @Override
    public String getReferenceCategory() {
        return "reset-credentials";
    }
}
