package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.phone.PhoneNumberResult;
import dev.tillit.keycloak.phone.PhoneNumbers;
import dev.tillit.keycloak.phone.PhoneUserLookup;
import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Turns what a person typed into the sign-in identifier field into what Keycloak's own
 * username/email lookup understands: a phone number in any common spelling becomes the username
 * of the account that has verified that number. Everything else passes through unchanged, so
 * unknown identifiers take Keycloak's normal path (same message, same dummy hashing, same timing).
 */
public final class IdentifierResolver {

    private IdentifierResolver() {
    }

    public static String toLoginName(KeycloakSession session, RealmModel realm, String typed) {
        if (typed == null) {
            return null;
        }
        String trimmed = typed.trim();
        if (trimmed.contains("@") || !PhoneNumbers.looksLikePhone(trimmed)) {
            return trimmed;
        }
        PhoneNumberResult phone = PhoneNumbers.parse(trimmed, TillitSettings.of(realm).phoneDefaultRegion());
        if (phone.e164() == null) {
            return trimmed;
        }
        UserModel user = PhoneUserLookup.findByPhone(session, realm, phone.e164());
        if (user == null || !Boolean.parseBoolean(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED))) {
            return trimmed;
        }
        return user.getUsername();
    }
}
