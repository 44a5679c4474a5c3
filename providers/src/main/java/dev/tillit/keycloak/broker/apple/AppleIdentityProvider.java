package dev.tillit.keycloak.broker.apple;

import java.io.IOException;
import java.security.interfaces.ECPrivateKey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.broker.BrokerRejection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.http.simple.SimpleHttpRequest;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.ECDSASignatureSignerContext;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.util.JsonSerialization;

/**
 * Sign in with Apple on top of Keycloak's OpenID Connect broker, which already checks the id_token
 * against the JWKS (signature; {@code alg: none} and unknown {@code kid} find no key), issuer,
 * audience, expiry and nonce. Apple's own ways:
 * <ul>
 * <li>the client secret is a short-lived ES256 JWT signed with the operator's .p8 key
 *     ({@code iss} team id, {@code sub} services id, {@code aud} Apple, header {@code kid} key id);</li>
 * <li>{@code response_mode=form_post}: Apple POSTs the code back, with the person's name in
 *     {@code user} on the first authorisation only — it is taken then, and kept;</li>
 * <li>private-relay addresses ({@code is_private_email}) are real, verified addresses of the person
 *     (Apple forwards to them) but unique to this app: they are used as the account's email like any
 *     other, and never matched against other accounts (the first sign-in never links by email).</li>
 * </ul>
 */
public class AppleIdentityProvider extends OIDCIdentityProvider implements SocialIdentityProvider<org.keycloak.broker.oidc.OIDCIdentityProviderConfig> {

    private static final Logger LOG = Logger.getLogger(AppleIdentityProvider.class);
    /** Request-scoped: the {@code user} JSON Apple posted with this callback (first authorisation only). */
    private static final String POSTED_USER = "tillit.apple.user";
    static final String PRIVATE_RELAY_DOMAIN = "privaterelay.appleid.com";

    public AppleIdentityProvider(KeycloakSession session, AppleIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    public AppleIdentityProviderConfig getConfig() {
        return (AppleIdentityProviderConfig) super.getConfig();
    }

    @Override
    public Response performLogin(AuthenticationRequest request) {
        String problem = configurationProblem();
        if (problem != null) {
            LOG.errorf("Identity provider '%s' of realm '%s' cannot be used: %s", getConfig().getAlias(),
                    request.getRealm().getName(), problem);
            return session.getProvider(LoginFormsProvider.class).setAuthenticationSession(request.getAuthenticationSession())
                    .setError(TillitMessages.APPLE_UNAVAILABLE).createErrorPage(Response.Status.SERVICE_UNAVAILABLE);
        }
        return super.performLogin(request);
    }

    private String configurationProblem() {
        String problem = getConfig().configurationProblem(dev.tillit.keycloak.ServerMode.isDevelopment());
        if (problem != null) {
            return problem;
        }
        try {
            getConfig().privateKey(session);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Override
    protected UriBuilder createAuthorizationUrl(AuthenticationRequest request) {
        return super.createAuthorizationUrl(request).queryParam("response_mode", "form_post");
    }

    /** The client secret Apple expects: an ES256 JWT made now from the operator's key, valid five minutes. */
    @Override
    public SimpleHttpRequest authenticateTokenRequest(SimpleHttpRequest tokenRequest) {
        return tokenRequest.param(OAuth2Constants.CLIENT_ID, getConfig().getClientId())
                .param(OAuth2Constants.CLIENT_SECRET, clientSecret());
    }

    String clientSecret() {
        ECPrivateKey key;
        try {
            key = getConfig().privateKey(session);
        } catch (IllegalStateException e) {
            LOG.errorf("Identity provider '%s': %s", getConfig().getAlias(), e.getMessage());
            throw new IdentityBrokerException(e.getMessage()).withMessageCode(TillitMessages.APPLE_UNAVAILABLE);
        }
        KeyWrapper wrapper = new KeyWrapper();
        wrapper.setKid(getConfig().getKeyId());
        wrapper.setAlgorithm(Algorithm.ES256);
        wrapper.setType(KeyType.EC);
        wrapper.setUse(KeyUse.SIG);
        wrapper.setPrivateKey(key);
        long now = Time.currentTime();
        JsonWebToken jwt = new JsonWebToken();
        jwt.issuer(getConfig().getTeamId());
        jwt.subject(getConfig().getClientId());
        jwt.audience(getConfig().getIssuer().split(",")[0].trim());
        jwt.iat(now);
        jwt.exp(now + 300);
        return new JWSBuilder().kid(getConfig().getKeyId()).jsonContent(jwt).sign(new ECDSASignatureSignerContext(wrapper));
    }

    /** Every refusal of Apple's answer becomes an event with a reason and our message, not a bare error. */
    @Override
    public BrokeredIdentityContext getFederatedIdentity(String response) {
        try {
            BrokeredIdentityContext identity = super.getFederatedIdentity(response);
            // The stored token is Apple's refresh token, sealed, and only for revoking the grant on deletion.
            identity.setToken(sealedRefreshToken(identity.getId(), response));
            return identity;
        } catch (IdentityBrokerException e) {
            if (TillitMessages.APPLE_UNAVAILABLE.equals(e.getMessageCode())) {
                throw e;
            }
            rejected(BrokerRejection.ID_TOKEN_INVALID, e.getMessage());
            throw new IdentityBrokerException(e.getMessage(), e).withMessageCode(TillitMessages.APPLE_REJECTED);
        }
    }

    private String sealedRefreshToken(String subject, String response) {
        try {
            String refreshToken = JsonSerialization.readValue(response, AccessTokenResponse.class).getRefreshToken();
            if (refreshToken == null || subject == null) {
                LOG.warnf("Identity provider '%s': Apple sent no refresh token; the grant cannot be revoked when the account is deleted",
                        getConfig().getAlias());
                return null;
            }
            String sealed = AppleTokenSeal.seal(session, session.getContext().getRealm(), subject, refreshToken);
            if (sealed == null) {
                LOG.warnf("Realm %s has no HS512 key: Apple's refresh token is not kept, so the grant cannot be revoked on deletion",
                        session.getContext().getRealm().getName());
            }
            return sealed;
        } catch (IOException e) {
            return null;
        }
    }

    /** The stored token exists only to revoke the grant; it is never handed out (Keycloak's broker token endpoint). */
    @Override
    public Response retrieveToken(KeycloakSession session, org.keycloak.models.FederatedIdentityModel identity) {
        return Response.status(Response.Status.FORBIDDEN).build();
    }

    @Override
    public Response retrieveToken(KeycloakSession session, org.keycloak.models.FederatedIdentityModel identity,
                                  org.keycloak.models.UserSessionModel userSession, org.keycloak.models.UserModel user) {
        return Response.status(Response.Status.FORBIDDEN).build();
    }

    @Override
    public JsonWebToken validateToken(String encodedToken) {
        JsonWebToken token = super.validateToken(encodedToken);
        // Keycloak's isActive() lets a token without exp pass; Apple always sets it.
        if (token.getExp() == null || token.getSubject() == null) {
            throw new IdentityBrokerException("id_token without exp or sub");
        }
        return token;
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        try {
            super.preprocessFederatedIdentity(session, realm, context);
        } catch (IdentityBrokerException | ErrorResponseException e) {
            rejected(BrokerRejection.NONCE_MISMATCH, e.getMessage());
            throw new IdentityBrokerException("nonce mismatch", e).withMessageCode(TillitMessages.APPLE_REJECTED);
        }
    }

    private void rejected(String reason, String why) {
        LOG.debugf("Apple sign-in refused: %s (%s)", reason, why);
        BrokerRejection.record(session, getConfig().getAlias(), reason);
    }

    @Override
    protected BrokeredIdentityContext extractIdentity(AccessTokenResponse tokenResponse, String accessToken, JsonWebToken idToken)
            throws IOException {
        BrokeredIdentityContext identity = super.extractIdentity(tokenResponse, accessToken, idToken);
        // Apple's sub is the account key; its email may change (relay on/off), so it never is.
        identity.setUsername(idToken.getSubject());
        Object posted = session.getAttribute(POSTED_USER);
        if (posted instanceof String json && !json.isBlank()) {
            try {
                JsonNode name = JsonSerialization.readValue(json, JsonNode.class).path("name");
                if (identity.getFirstName() == null && name.hasNonNull("firstName")) {
                    identity.setFirstName(name.get("firstName").asText());
                }
                if (identity.getLastName() == null && name.hasNonNull("lastName")) {
                    identity.setLastName(name.get("lastName").asText());
                }
            } catch (IOException e) {
                LOG.debugf("Apple's user field is not JSON: %s", e.getMessage());
            }
        }
        Object email = idToken.getOtherClaims().get(IDToken.EMAIL);
        if (!"true".equals(String.valueOf(idToken.getOtherClaims().get(IDToken.EMAIL_VERIFIED)))) {
            // Apple verifies every address it hands out; one it does not vouch for is not used at all,
            // so it can neither reach nor reveal an account that holds it.
            identity.setEmail(null);
        } else if (email instanceof String address && address.toLowerCase().endsWith("@" + PRIVATE_RELAY_DOMAIN)) {
            identity.getContextData().put("tillit.apple.private_relay", Boolean.TRUE);
        }
        return identity;
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return new AppleEndpoint(callback, realm, event, this);
    }

    /** Apple answers with an HTML form POST ({@code response_mode=form_post}). */
    public static class AppleEndpoint extends OIDCEndpoint {

        private final AppleIdentityProvider apple;

        public AppleEndpoint(AuthenticationCallback callback, RealmModel realm, EventBuilder event, AppleIdentityProvider provider) {
            super(callback, realm, event, provider);
            this.apple = provider;
        }

        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public Response formPost(@FormParam(OAUTH2_PARAMETER_STATE) String state,
                                 @FormParam(OAUTH2_PARAMETER_CODE) String code,
                                 @FormParam(OAuth2Constants.ERROR) String error,
                                 @FormParam(OAuth2Constants.ERROR_DESCRIPTION) String errorDescription,
                                 @FormParam("user") String user) {
            if (user != null) {
                apple.session.setAttribute(POSTED_USER, user);
            }
            return authResponse(state, code, error, errorDescription);
        }
    }
}
