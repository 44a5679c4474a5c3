package dev.tillit.keycloak.login;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/**
 * "Tillit: sign up by email or phone" for the realm's registration flow. Its settings (code
 * limits, legal document links and versions) are realm-wide, on the admin console's Tillit page.
 */
public class TillitRegistrationFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-registration";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new TillitRegistration();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: sign up by email or phone";
    }

    @Override
    public String getReferenceCategory() {
        return "registration";
    }

    @Override
    public String getHelpText() {
        return "Sign-up with an email address or a mobile number and a password; the identifier is verified by a "
                + "one-time code before the account exists; the user agreement and privacy policy must be accepted.";
    }
}
