package dev.tillit.keycloak.phone;

import dev.tillit.keycloak.TillitAttributes;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Finds users by their {@code phone_number} attribute (always E.164, see {@link PhoneNumbers}).
 * The lookup is an exact match on USER_ATTRIBUTE(NAME, VALUE), which Keycloak indexes, so it
 * stays cheap in large realms.
 */
public final class PhoneUserLookup {

    public static final String PHONE_NUMBER = TillitAttributes.PHONE_NUMBER;

    private static final Logger LOG = Logger.getLogger(PhoneUserLookup.class);

    private PhoneUserLookup() {
    }

    /**
     * @param e164 the number as {@link PhoneNumbers#parse} normalised it
     * @return the one user with this number, or null when there is none — or more than one
     *         (uniqueness is enforced on write; if it was broken, signing in as "one of them"
     *         would be worse than not signing in)
     */
    public static UserModel findByPhone(KeycloakSession session, RealmModel realm, String e164) {
        if (e164 == null || e164.isBlank()) {
            return null;
        }
        List<UserModel> users;
        try (Stream<UserModel> found = session.users().searchForUserByUserAttributeStream(realm, PHONE_NUMBER, e164)) {
            users = found.limit(2).toList();
        }
        if (users.size() > 1) {
            LOG.warnf("Realm %s: more than one user has the same %s (users %s and %s); refusing to pick one",
                    realm.getName(), PHONE_NUMBER, users.get(0).getId(), users.get(1).getId());
            return null;
        }
        return users.isEmpty() ? null : users.get(0);
    }

    /**
     * Whether another user already has this number, e.g. before registering it or changing it.
     *
     * @param exceptUserId the user asking (their own number is not "taken"); null for a new user
     */
    public static boolean isTaken(KeycloakSession session, RealmModel realm, String e164, String exceptUserId) {
        if (e164 == null || e164.isBlank()) {
            return false;
        }
        try (Stream<UserModel> found = session.users().searchForUserByUserAttributeStream(realm, PHONE_NUMBER, e164)) {
            return found.anyMatch(user -> !user.getId().equals(exceptUserId));
        }
    }
}
