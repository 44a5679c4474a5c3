package dev.tillit.keycloak.login;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.phone.PhoneNumbers;
import dev.tillit.keycloak.phone.PhoneUserProfile;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.representations.IDToken;

/**
 * The name in the account console's top-right menu. The console shows the token's given and family
 * name, or else its {@code preferred_username}: for a phone sign-up that is the generated
 * {@code user-…}, a name the customer never chose and should never meet. On the account console's
 * client only, this mapper puts the customer's own identifier there instead: the email address, or
 * else the mobile number as people write it ({@code +46 70 123 45 67}). Other clients keep the real
 * username (their back ends may key on it).
 *
 * <p>A realm file cannot add a mapper to Keycloak's built-in {@code account-console} client without
 * redefining the whole client, so the mapper is added when a realm that declares
 * {@code phone_number} is created or imported (as {@code StandardPhoneClaims} does for the phone
 * scope); for an existing realm the README says how to add it by hand.
 */
public class AccountConsoleDisplayName extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String ID = "tillit-account-console-display-name";
    static final String MAPPER_NAME = "tillit display name";

    private static final Logger LOG = Logger.getLogger(AccountConsoleDisplayName.class);

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: display name for the account console";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Sets preferred_username to the user's email address or, without one, their mobile number, so that the "
                + "account console never shows a generated username. For the account-console client only.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    /** After Keycloak's own username mapper (priority 0), whose claim this one replaces. */
    @Override
    public int getPriority() {
        return 100;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        String name = displayName(userSession.getUser());
        token.setPreferredUsername(name);
        // Keycloak's username mapper writes the claim into the token's other claims, which are
        // serialised after (and so win over) the field: replace it there too.
        token.getOtherClaims().put(IDToken.PREFERRED_USERNAME, name);
    }

    static String displayName(UserModel user) {
        if (user.getEmail() != null && !user.getEmail().isBlank()) {
            return user.getEmail();
        }
        String phone = user.getFirstAttribute(TillitAttributes.PHONE_NUMBER);
        return phone == null || phone.isBlank() ? user.getUsername() : PhoneNumbers.international(phone);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(AccountConsoleDisplayName::onEvent);
    }

    private static void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmModel realm = created.getCreatedRealm();
            try {
                install(created.getKeycloakSession(), realm);
            } catch (RuntimeException e) {
                // Never fail a realm's creation over a display name; say what to do instead.
                LOG.warnf(e, "Realm %s: could not add the mapper %s to the account console; add it by hand",
                        realm.getName(), ID);
            }
        }
    }

    /** Adds the mapper to the realm's account console when the realm uses Tillit's phone numbers; true if added. */
    static boolean install(KeycloakSession session, RealmModel realm) {
        if (!PhoneUserProfile.declaresPhoneNumber(session, realm)) {
            return false;
        }
        ClientModel console = realm.getClientByClientId(Constants.ACCOUNT_CONSOLE_CLIENT_ID);
        if (console == null || console.getProtocolMapperByName(OIDCLoginProtocol.LOGIN_PROTOCOL, MAPPER_NAME) != null) {
            return false;
        }
        ProtocolMapperModel mapper = new ProtocolMapperModel();
        mapper.setName(MAPPER_NAME);
        mapper.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        mapper.setProtocolMapper(ID);
        mapper.setConfig(new HashMap<>(Map.of(
                OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true",
                OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "true",
                OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, "true")));
        console.addProtocolMapper(mapper);
        LOG.infof("Realm %s: the account console shows email or mobile number instead of generated usernames", realm.getName());
        return true;
    }
}
