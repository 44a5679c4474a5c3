package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link AppDeviceAlert}; how many devices are remembered (0 = off) is on the realm's Tillit tab. */
public class AppDeviceAlertFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-app-new-device-alert";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new AppDeviceAlert();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: new-device alert (app)";
    }

    @Override
    public String getHelpText() {
        return "Last step of the password grant's flow: a sign-in from an app installation the account has not used"
                + " before (form parameter device_id; none named counts as new) is told to the user by mail and SMS,"
                + " with a \"this wasn't me\" link.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }
}
