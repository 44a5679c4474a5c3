package dev.tillit.keycloak.phone;

import java.util.Map;

import dev.tillit.keycloak.TillitAttributes;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.ProtocolMapperUtils;
import org.keycloak.protocol.oidc.mappers.UserAttributeMapper;
import org.keycloak.provider.ProviderEvent;

/**
 * Makes OpenID Connect's scope {@code phone} read Tillit's attributes. Keycloak creates every new
 * realm's built-in {@code phone} scope with two user-attribute mappers reading {@code phoneNumber}
 * and {@code phoneNumberVerified}, attributes Tillit never writes; Tillit keeps the number in
 * {@code phone_number} / {@code phone_number_verified} (OIDC's claim names), so no phone claim
 * would ever appear. A realm import cannot change a built-in scope (declaring {@code phone} in the
 * realm file clashes with the built-in one, and declaring all scopes leaves Keycloak's own clients
 * such as the account console without any), so this happens once, when a realm is created or
 * imported and its user profile declares {@code phone_number}: exactly those two mappers, still
 * on Keycloak's defaults, are pointed at Tillit's attributes. Nothing else is touched, and nothing
 * runs for realms that exist already (the README's install steps say how to change them by hand).
 */
public final class StandardPhoneClaims {

    public static final String SCOPE = "phone";
    static final Map<String, String> DEFAULT_TO_TILLIT = Map.of(
            "phoneNumber", TillitAttributes.PHONE_NUMBER,
            "phoneNumberVerified", TillitAttributes.PHONE_NUMBER_VERIFIED);

    private static final Logger LOG = Logger.getLogger(StandardPhoneClaims.class);

    private StandardPhoneClaims() {
    }

    /** For {@code KeycloakSessionFactory.register}: acts on {@link RealmModel.RealmPostCreateEvent} only. */
    public static void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmPostCreateEvent created) {
            try {
                apply(created.getKeycloakSession(), created.getCreatedRealm());
            } catch (RuntimeException e) {
                // Never fail a realm's creation over a claim; say what to do instead.
                LOG.warnf(e, "Realm %s: could not point the phone scope at %s; set its mappers' user attribute by hand",
                        created.getCreatedRealm().getName(), TillitAttributes.PHONE_NUMBER);
            }
        }
    }

    /** Returns how many mappers were changed (0 when the realm does not use Tillit's phone attributes). */
    static int apply(KeycloakSession session, RealmModel realm) {
        if (!PhoneUserProfile.declaresPhoneNumber(session, realm)) {
            return 0;
        }
        ClientScopeModel scope = realm.getClientScopesStream()
                .filter(s -> SCOPE.equals(s.getName()) && "openid-connect".equals(s.getProtocol()))
                .findFirst().orElse(null);
        if (scope == null) {
            return 0;
        }
        int changed = 0;
        for (ProtocolMapperModel mapper : scope.getProtocolMappersStream().toList()) {
            String attribute = mapper.getConfig() == null ? null : mapper.getConfig().get(ProtocolMapperUtils.USER_ATTRIBUTE);
            if (UserAttributeMapper.PROVIDER_ID.equals(mapper.getProtocolMapper()) && DEFAULT_TO_TILLIT.containsKey(attribute)) {
                mapper.getConfig().put(ProtocolMapperUtils.USER_ATTRIBUTE, DEFAULT_TO_TILLIT.get(attribute));
                scope.updateProtocolMapper(mapper);
                changed++;
            }
        }
        if (changed > 0) {
            LOG.infof("Realm %s: scope phone now reads %s and %s", realm.getName(),
                    TillitAttributes.PHONE_NUMBER, TillitAttributes.PHONE_NUMBER_VERIFIED);
        }
        return changed;
    }
}
