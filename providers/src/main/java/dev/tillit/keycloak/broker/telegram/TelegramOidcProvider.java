package dev.tillit.keycloak.broker.telegram;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;

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
import org.keycloak.util.JsonSerialization;

/**
 * Telegram's OpenID Connect login (the "oidc" mode of the Telegram provider), as Telegram documents it
 * at https://core.telegram.org/bots/telegram-login: Keycloak's OIDC broker does the protocol and the
 * id_token checks (JWKS signature, issuer, audience = the bot's client id, expiry; state and PKCE S256),
 * forced on. Telegram's id_tokens carry no nonce, so the nonce is checked only when a token has one.
 * A bot set in BotFather to sign with ES256K (secp256k1, which Keycloak has no verifier for) is refused
 * with a log line that names that setting. The account key is Telegram's numeric user id, the id_token's
 * {@code id} claim, exactly what the Login Widget signs as {@code id}: the OIDC {@code sub} may differ
 * per bot, so it is never the key, and switching between the widget and OIDC never makes a second
 * account. A token without a numeric {@code id} is refused. Telegram gives no email; a phone number
 * claim is not used to find or fill an account.
 */
class TelegramOidcProvider extends OIDCIdentityProvider {

    private static final Logger LOG = Logger.getLogger(TelegramOidcProvider.class);
    static final String TELEGRAM_ID = "id";
    /** Where Keycloak's OIDC broker keeps the id_token's nonce for its check (its own constant is private). */
    private static final String BROKER_NONCE = "BROKER_NONCE";
    /** Offered per bot by Telegram, verifiable by no signature provider of Keycloak's. */
    static final String ES256K = "ES256K";

    /** An id_token signed with an algorithm Keycloak cannot verify; the log has already said what to change. */
    private static final class UnverifiableAlgorithm extends IdentityBrokerException {
        UnverifiableAlgorithm(String algorithm) {
            super("id_token signed with " + algorithm);
        }
    }

    TelegramOidcProvider(KeycloakSession session, OIDCIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    public BrokeredIdentityContext getFederatedIdentity(String response) {
        try {
            BrokeredIdentityContext identity = super.getFederatedIdentity(response);
            // Keycloak files the token's nonce under BROKER_NONCE even when there is none, as Telegram's tokens
            // have none; a null there fails the identity's serialization later ("value is null"), and its absence
            // tells preprocessFederatedIdentity there is no nonce to check.
            if (identity.getContextData().get(BROKER_NONCE) == null) {
                identity.getContextData().remove(BROKER_NONCE);
            }
            // Keyed on the numeric id only now: Keycloak compares the identity's id with the token's sub before.
            JsonWebToken idToken = (JsonWebToken) identity.getContextData().get(VALIDATED_ID_TOKEN);
            identity.setId(TelegramLoginData.numericId(idToken.getOtherClaims().get(TELEGRAM_ID)));
            identity.setToken(null);
            return identity;
        } catch (IdentityBrokerException e) {
            rejected(e instanceof UnverifiableAlgorithm ? BrokerRejection.SIGNING_ALGORITHM_UNSUPPORTED
                    : TillitMessages.TELEGRAM_REJECTED.equals(e.getMessageCode()) ? BrokerRejection.NO_TELEGRAM_ID
                    : BrokerRejection.ID_TOKEN_INVALID, e.getMessage());
            throw new IdentityBrokerException(e.getMessage(), e).withMessageCode(TillitMessages.TELEGRAM_REJECTED);
        }
    }

    @Override
    public JsonWebToken validateToken(String encodedToken) {
        refuseUnverifiableAlgorithm(encodedToken);
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

    /**
     * BotFather lets each bot choose the id_token's signing algorithm (RS256 by default; ES256, EdDSA and
     * ES256K offered, and Telegram's JWKS lists keys for each). Keycloak has no ES256K (secp256k1) verifier:
     * such a token would only fail as a "bad signature", so the admin is told here which setting to change.
     */
    private void refuseUnverifiableAlgorithm(String encodedToken) {
        // Read by hand: Keycloak's JWSInput cannot even parse a header naming an algorithm it does not know.
        Object algorithm;
        try {
            int dot = encodedToken.indexOf('.');
            algorithm = JsonSerialization.readValue(Base64.getUrlDecoder().decode(encodedToken.substring(0, Math.max(dot, 0))), Map.class)
                    .get("alg");
        } catch (IOException | RuntimeException notAJws) {
            return; // Keycloak's own checks refuse it
        }
        if (ES256K.equals(algorithm)) {
            LOG.errorf("Telegram OIDC sign-in refused for identity provider '%s': Telegram signed the id_token with ES256K, "
                    + "which Keycloak cannot verify. In BotFather, open the bot (client id %s) → Bot Settings → Login Widget and "
                    + "set the ID token signing algorithm back to RS256 (Telegram's default).",
                    getConfig().getAlias(), getConfig().getClientId());
            throw new UnverifiableAlgorithm(ES256K);
        }
    }

    /**
     * Keycloak's nonce check, when the token carries a nonce: it must then be the one this sign-in sent.
     * Telegram's tokens carry none (its documentation has no nonce), and for them state and PKCE S256 bind
     * the answer to this browser's sign-in.
     */
    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        if (context.getContextData().get(BROKER_NONCE) == null) {
            return;
        }
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
