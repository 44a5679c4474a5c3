package dev.tillit.keycloak.phone;

import dev.tillit.keycloak.TillitAttributes;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;

/** Whether a realm uses Tillit's phone numbers: what the realm-creation hooks check before touching it. */
public final class PhoneUserProfile {

    private PhoneUserProfile() {
    }

    public static boolean declaresPhoneNumber(KeycloakSession session, RealmModel realm) {
        RealmModel previous = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            UPConfig config = session.getProvider(UserProfileProvider.class).getConfiguration();
            return config != null && config.getAttribute(TillitAttributes.PHONE_NUMBER) != null;
        } finally {
            session.getContext().setRealm(previous);
        }
    }
}
