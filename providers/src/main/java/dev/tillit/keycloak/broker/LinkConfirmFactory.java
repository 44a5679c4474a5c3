package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** "Tillit: link - confirmation and notice" in the admin console's flow editor (first-broker-login flows). */
public class LinkConfirmFactory implements RealmSettingsAuthenticatorFactory {

    @Override
    public Authenticator create(KeycloakSession session) {
        return new LinkConfirm();
    }

    @Override
    public String getId() {
        return FirstLoginFactories.LINK_CONFIRM;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: link - confirmation and notice";
    }

    @Override
    public String getReferenceCategory() {
        return "broker";
    }

    @Override
    public String getHelpText() {
        return "Confirms the link after the account's password and second factor; the link itself locks withdrawals and tells the owner by mail/SMS (tillit-withdrawal-lock listener).";
    }
}
