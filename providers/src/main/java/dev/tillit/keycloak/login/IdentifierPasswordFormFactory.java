package dev.tillit.keycloak.login;

import dev.tillit.keycloak.captcha.BotCheck;
import dev.tillit.keycloak.captcha.SiteVerifier;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordFormFactory;
import org.keycloak.models.KeycloakSession;

/** "Tillit: email or phone + password" in the admin console's flow editor. */
public class IdentifierPasswordFormFactory extends UsernamePasswordFormFactory {

    public static final String ID = "tillit-identifier-password-form";

    /** One HTTP client for this form's siteverify calls (see {@link SiteVerifier}); no realm state. */
    private final BotCheck botCheck = new BotCheck(new SiteVerifier());

    @Override
    public Authenticator create(KeycloakSession session) {
        return new IdentifierPasswordForm(session, botCheck);
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
                + "With passkeys on in the realm's WebAuthn passwordless policy it also offers passkey autofill. "
                + "Carries the realm's bot check (Tillit tab) on the same page and judges it before any password.";
    }
}
