package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link NewDeviceAlert}; how many devices are remembered (0 = off) is on the realm's Tillit tab. */
public class NewDeviceAlertFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-new-device-alert";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new NewDeviceAlert();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: new-device alert";
    }

    @Override
    public String getHelpText() {
        return "Last step of the sign-in forms and of an identity provider's post login flow: a sign-in from a browser"
                + " the account has not used before is told to the"
                + " user by mail and SMS, with a \"this wasn't me\" link. Shows no page.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }
}
