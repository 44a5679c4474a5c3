package dev.tillit.keycloak.login;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordFormFactory;
import org.keycloak.models.KeycloakSession;

/** "Tillit: email or phone + password" in the admin console's flow editor. */
public class IdentifierPasswordFormFactory extends UsernamePasswordFormFactory {

    public static final String ID = "tillit-identifier-password-form";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new IdentifierPasswordForm(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: email or phone + password";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's username/password form whose identifier field also accepts a verified phone number "
                + "in any common spelling (the realm's default phone region applies; see the Tillit settings page). "
                + "With passkeys on in the realm's WebAuthn passwordless policy it also offers passkey autofill.";
    }
}
