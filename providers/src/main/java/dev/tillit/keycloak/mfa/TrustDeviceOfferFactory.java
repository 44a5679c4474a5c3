package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link TrustDeviceOffer}; its one setting (days, 0 = off) is on the realm's Tillit tab. */
public class TrustDeviceOfferFactory implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-trust-device-offer";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new TrustDeviceOffer();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: offer \"remember this device\"";
    }

    @Override
    public String getHelpText() {
        return "After a second factor was asked and passed, offers to trust the browser for the days set on the"
                + " Tillit tab (0 = never offered). Put it right after the second-factor sub-flow.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }
}
