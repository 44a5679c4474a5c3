package dev.tillit.keycloak.broker.telegram;

import java.io.IOException;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.broker.BrokerRejection;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.ErrorResponseException;

/**
 * Telegram's OpenID Connect login (the "oidc" mode of the Telegram provider): Keycloak's OIDC broker
 * does the protocol and the id_token checks (JWKS signature, issuer, audience = the bot's client id,
 * expiry, nonce; PKCE), forced on. The account key is Telegram's numeric user id, the id_token's
 * {@code id} claim, exactly what the Login Widget signs as {@code id}: the OIDC {@code sub} may differ
 * per bot, so it is never the key, and switching between the widget and OIDC never makes a second
 * account. A token without a numeric {@code id} is refused. Telegram gives no email; a phone number
 * claim is not used to find or fill an account.
 */
class TelegramOidcProvider extends OIDCIdentityProvider {

    private static final Logger LOG = Logger.getLogger(TelegramOidcProvider.class);
    static final String TELEGRAM_ID = "id";

    TelegramOidcProvider(KeycloakSession session, OIDCIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    public BrokeredIdentityContext getFederatedIdentity(String response) {
        try {
            BrokeredIdentityContext identity = super.getFederatedIdentity(response);
            // Keyed on the numeric id only now: Keycloak compares the identity's id with the token's sub before.
            JsonWebToken idToken = (JsonWebToken) identity.getContextData().get(VALIDATED_ID_TOKEN);
            identity.setId(TelegramLoginData.numericId(idToken.getOtherClaims().get(TELEGRAM_ID)));
            identity.setToken(null);
            return identity;
        } catch (IdentityBrokerException e) {
            rejected(TillitMessages.TELEGRAM_REJECTED.equals(e.getMessageCode()) ? BrokerRejection.NO_TELEGRAM_ID : BrokerRejection.ID_TOKEN_INVALID, e.getMessage());
            throw new IdentityBrokerException(e.getMessage(), e).withMessageCode(TillitMessages.TELEGRAM_REJECTED);
        }
    }

    @Override
    public JsonWebToken validateToken(String encodedToken) {
        JsonWebToken token = super.validateToken(encodedToken);
        // Keycloak's isActive() lets a token without exp pass; a sign-in token must expire.
        if (token.getExp() == null || token.getSubject() == null) {
            throw new IdentityBrokerException("id_token without exp or sub");
        }
        return token;
    }

    @Override
    protected BrokeredIdentityContext extractIdentity(AccessTokenResponse tokenResponse, String accessToken, JsonWebToken idToken)
            throws IOException {
        BrokeredIdentityContext identity = super.extractIdentity(tokenResponse, accessToken, idToken);
        String telegramId = TelegramLoginData.numericId(idToken.getOtherClaims().get(TELEGRAM_ID));
        if (telegramId == null) {
            throw new IdentityBrokerException("id_token without Telegram's numeric id").withMessageCode(TillitMessages.TELEGRAM_REJECTED);
        }
        Object username = idToken.getOtherClaims().get("preferred_username");
        identity.setUsername(username instanceof String name && !name.isBlank() ? name : telegramId);
        if (identity.getFirstName() == null && idToken.getOtherClaims().get("name") instanceof String name) {
            identity.setFirstName(name);
        }
        identity.setEmail(null);
        return identity;
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        try {
            super.preprocessFederatedIdentity(session, realm, context);
        } catch (IdentityBrokerException | ErrorResponseException e) {
            rejected(BrokerRejection.NONCE_MISMATCH, e.getMessage());
            throw new IdentityBrokerException("nonce mismatch", e).withMessageCode(TillitMessages.TELEGRAM_REJECTED);
        }
    }

    private void rejected(String reason, String why) {
        LOG.debugf("Telegram OIDC sign-in refused: %s (%s)", reason, why);
        BrokerRejection.record(session, getConfig().getAlias(), reason);
    }
}
