package dev.tillit.keycloak.broker.app;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.mfa.AppDeviceAlert;
import dev.tillit.keycloak.mfa.SignInMethods;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.IDToken;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resources.IdentityBrokerService;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * {@code POST /realms/{realm}/tillit-app-sign-in/{provider}/token} — the mobile app's native Sign in
 * with Apple / Google: the app sends the provider's id_token and the nonce it gave the SDK, and gets
 * our tokens if, and only if, the id_token passes {@link ProviderIdToken} and its subject is already
 * linked to an account. Nothing is ever created or linked here: a new identity gets
 * {@code interaction_required} with the browser address that continues with the provider, where the
 * first sign-in's "link existing account / sign up" runs with all its checks. Each nonce is accepted
 * once across the cluster, so a captured id_token cannot be replayed.
 *
 * <p>Open per provider and per client: the provider's config holds {@code appAudiences} (the app's own
 * client ids: Apple's bundle id, Google's iOS and Android client ids; Google's Android tokens carry the
 * provider's web client id as audience and the Android client id as {@code azp}, see {@link ProviderIdToken})
 * and {@code appClients} (our clients that may receive tokens this way).
 */
public class AppSignInResource implements RealmResourceProvider {

    private static final Logger LOG = Logger.getLogger(AppSignInResource.class);
    public static final String AUDIENCES = "appAudiences";
    public static final String CLIENTS = "appClients";
    /** Keycloak's Google provider's "Hosted domain" setting, honoured here as its browser sign-in honours it. */
    public static final String HOSTED_DOMAIN = "hostedDomain";
    /** Parameters of the second step, as the password grant's ({@code DirectGrantCodeFactorGate}). */
    public static final String MFA_TOKEN = "mfa_token";
    public static final String MFA_CODE = "mfa_code";
    public static final String MFA_CHANNEL = "mfa_channel";
    public static final String MFA_REQUIRED = "mfa_required";

    private final KeycloakSession session;

    public AppSignInResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    @Path("{provider}/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("provider") String alias, @FormParam(OAuth2Constants.CLIENT_ID) String clientId,
                          @FormParam("id_token") String idToken, @FormParam("nonce") String nonce,
                          @FormParam(OAuth2Constants.SCOPE) String scope, @FormParam(MFA_TOKEN) String mfaToken,
                          @FormParam(MFA_CODE) String mfaCode, @FormParam(MFA_CHANNEL) String mfaChannel) {
        RealmModel realm = session.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.LOGIN).detail(Details.IDENTITY_PROVIDER, alias).detail(TillitEvents.DETAIL, TillitEvents.APP_SIGN_IN)
                .detail(Details.AUTH_METHOD, "tillit-app-sign-in");

        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        IdentityProviderModel model = alias == null ? null : session.identityProviders().getByAlias(alias);
        OIDCIdentityProviderConfig config = model == null || !model.isEnabled() ? null : oidcConfig(model);
        if (client == null || !client.isEnabled()) {
            return refuse(event, Errors.CLIENT_NOT_FOUND, null, "invalid_client", "Unknown client.");
        }
        event.client(client);
        if (!client.isPublicClient()) {
            // The app cannot keep a secret; a confidential client has its own ways and must authenticate for them.
            return refuse(event, Errors.INVALID_CLIENT, "not_enabled", "unauthorized_client", "Sign-in in the app is for the app's public client.");
        }
        if (config == null || !list(model.getConfig(), CLIENTS).contains(client.getClientId()) || list(model.getConfig(), AUDIENCES).isEmpty()) {
            return refuse(event, Errors.IDENTITY_PROVIDER_ERROR, "not_enabled", "unauthorized_client",
                    "Sign-in in the app is not enabled for this provider and client.");
        }
        if (mfaToken != null && !mfaToken.isBlank()) {
            return secondStep(realm, client, alias, mfaToken.trim(), mfaCode, mfaChannel, event);
        }
        if (idToken == null || nonce == null) {
            return refuse(event, Errors.INVALID_REQUEST, null, "invalid_request", "id_token and nonce are required.");
        }

        IDToken token;
        try {
            token = ProviderIdToken.verify(session, realm, config, list(model.getConfig(), AUDIENCES), model.getConfig().get(HOSTED_DOMAIN),
                    idToken, nonce);
        } catch (ProviderIdToken.Refused e) {
            LOG.debugf("App sign-in with %s refused: %s", alias, e.getMessage());
            return refuse(event, Errors.INVALID_TOKEN, "id_token_invalid", "invalid_grant", "The sign-in could not be verified.");
        }
        event.detail(Details.IDENTITY_PROVIDER_USERNAME, token.getSubject());
        // One use per nonce for as long as the token lives: a captured id_token cannot be played again.
        long lifespan = Math.max(60, token.getExp() - Time.currentTime() + 60);
        if (!session.singleUseObjects().putIfAbsent("tillit-app-nonce:" + alias + ":" + token.getNonce(), lifespan)) {
            return refuse(event, Errors.INVALID_TOKEN, "nonce_replayed", "invalid_grant", "This sign-in was already used.");
        }

        UserModel user = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(alias, token.getSubject(), null));
        if (user == null) {
            // Never by email: an id_token naming an address is no proof of the account that holds it.
            String browser = browserAddress(realm, client, alias);
            event.detail(Details.REASON, TillitEvents.REASON_NOT_LINKED).error(Errors.USER_NOT_FOUND);
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", "interaction_required",
                    "error_description", "No account is linked to this sign-in yet: continue in the browser to link an existing account or sign up.",
                    "continue_in_browser", browser)).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.isEnabled() || user.getRequiredActionsStream().findAny().isPresent()) {
            return refuse(event, Errors.USER_DISABLED, "account_not_ready", "interaction_required",
                    "The account needs attention: continue in the browser.");
        }
        if (!AppSecondFactor.hasSecondFactor(user)) {
            return Response.ok(tokens(realm, client, user, alias, token.getSubject(), scope, null, event))
                    .type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        List<AppSecondFactor.Factor> answerable = AppSecondFactor.answerable(user);
        if (answerable.isEmpty()) {
            // A passkey, a security key or recovery codes: a browser ceremony or page, never the app's form.
            event.detail(TillitEvents.DETAIL, TillitEvents.APP_SECOND_FACTOR_REQUIRED).detail(Details.REASON, "factor_only_in_browser")
                    .error(OAuthErrorException.INTERACTION_REQUIRED);
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", OAuthErrorException.INTERACTION_REQUIRED,
                    "error_description", "This account's second factor is answered in the browser: continue there.",
                    "continue_in_browser", browserAddress(realm, client, alias)))
                    .type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        AppSecondFactor mfa = new AppSecondFactor(session, realm);
        AppSecondFactor.Factor factor = AppSecondFactor.Factor.byChannel(mfaChannel);
        if (factor == null || !answerable.contains(factor)) {
            factor = answerable.get(0);
        }
        String handle = AppSecondFactor.newHandle();
        Map<String, String> pending = mfa.newPending(user, client.getClientId(), alias, token.getSubject(), scope);
        return askFactor(mfa, handle, pending, user, factor, answerable, event);
    }

    /** Starts {@code factor} for the pending sign-in and answers {@code mfa_required} (or why it could not). */
    private Response askFactor(AppSecondFactor mfa, String handle, Map<String, String> pending, UserModel user,
                               AppSecondFactor.Factor factor, List<AppSecondFactor.Factor> answerable, EventBuilder event) {
        AppSecondFactor.Started started = mfa.start(handle, pending, user, factor, event.clone());
        event.detail(TillitEvents.DETAIL, TillitEvents.APP_SECOND_FACTOR_REQUIRED).detail(Details.CREDENTIAL_TYPE, factor.credentialType);
        if (started.sent() != null && !started.sent().issued() && started.expiresIn() == 0) {
            String description = switch (started.sent()) {
                case COOLDOWN -> "Please wait " + started.resendIn() + " seconds before asking for a new code.";
                case PAUSED -> "Too many wrong codes: a new code can be requested later.";
                case LIMITED -> "Too many codes have been requested. Please try again later.";
                case COUNTRY_NOT_ALLOWED -> "Text messages cannot be sent to this number's country.";
                default -> "The code could not be sent right now. Please try again.";
            };
            event.detail(Details.REASON, started.sent().name().toLowerCase(java.util.Locale.ROOT)).error(MFA_REQUIRED);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", MFA_REQUIRED);
            body.put("error_description", description);
            body.put(MFA_TOKEN, handle);
            body.put("mfa_channels", answerable.stream().map(AppSecondFactor::channelName).toList());
            return json(Response.Status.BAD_REQUEST, body);
        }
        event.error(MFA_REQUIRED);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", MFA_REQUIRED);
        body.put("error_description", switch (factor) {
            case OTP -> "Enter the code of the authenticator app: repeat this request with mfa_token and mfa_code.";
            case SMS, EMAIL -> (started.sent().issued() ? "A sign-in code was sent" : "A sign-in code was already sent")
                    + (factor == AppSecondFactor.Factor.SMS ? " by SMS to " : " by email to ") + started.sentTo()
                    + ". Repeat this request with mfa_token and mfa_code.";
        });
        body.put(MFA_TOKEN, handle);
        body.put(MFA_CHANNEL, AppSecondFactor.channelName(factor));
        body.put("mfa_channels", answerable.stream().map(AppSecondFactor::channelName).toList());
        if (factor != AppSecondFactor.Factor.OTP) {
            body.put("mfa_sent_to", started.sentTo());
            body.put("code_sent", started.sent().issued());
            body.put("resend_in", started.resendIn());
        }
        body.put("expires_in", started.expiresIn());
        return json(Response.Status.BAD_REQUEST, body);
    }

    /**
     * The second call: {@code mfa_token} with {@code mfa_code} (tokens when right), or with {@code mfa_channel}
     * alone (another of the account's factors: "try another way"; for SMS and email a code goes out).
     */
    private Response secondStep(RealmModel realm, ClientModel client, String alias, String handle, String code, String channel,
                                EventBuilder event) {
        AppSecondFactor mfa = new AppSecondFactor(session, realm);
        Map<String, String> pending = mfa.find(handle, client.getClientId(), alias);
        UserModel user = pending == null ? null : session.users().getUserById(realm, pending.get(AppSecondFactor.USER));
        FederatedIdentityModel link = user == null ? null : session.users().getFederatedIdentity(realm, user, alias);
        if (user == null || link == null || !link.getUserId().equals(pending.get(AppSecondFactor.SUBJECT))) {
            // Unknown, used, expired, another client's or provider's, or the account or its link went away: all alike.
            event.detail(TillitEvents.DETAIL, TillitEvents.APP_MFA_TOKEN_REFUSED);
            if (user != null) {
                event.user(user);
            }
            return refuse(event, Errors.INVALID_CODE, null, OAuthErrorException.INVALID_GRANT,
                    "The mfa_token is not valid (expired or already used): sign in again.");
        }
        event.user(user).detail(Details.USERNAME, user.getUsername()).detail(Details.IDENTITY_PROVIDER_USERNAME, link.getUserId());
        if (!user.isEnabled() || user.getRequiredActionsStream().findAny().isPresent()) {
            return refuse(event, Errors.USER_DISABLED, "account_not_ready", OAuthErrorException.INTERACTION_REQUIRED,
                    "The account needs attention: continue in the browser.");
        }
        List<AppSecondFactor.Factor> answerable = AppSecondFactor.answerable(user);
        AppSecondFactor.Factor current = AppSecondFactor.Factor.valueOf(pending.get(AppSecondFactor.FACTOR));
        if (code == null || code.isBlank()) {
            AppSecondFactor.Factor chosen = AppSecondFactor.Factor.byChannel(channel);
            if (chosen == null || !answerable.contains(chosen)) {
                return refuse(event, Errors.INVALID_REQUEST, null, OAuthErrorException.INVALID_REQUEST,
                        "mfa_code is required (or mfa_channel, one of the account's: " + String.join(", ",
                                answerable.stream().map(AppSecondFactor::channelName).toList()) + ").");
            }
            return askFactor(mfa, handle, pending, user, chosen, answerable, event);
        }
        event.detail(Details.CREDENTIAL_TYPE, current.credentialType);
        if (!answerable.contains(current)) {
            return refuse(event, Errors.INVALID_CODE, null, OAuthErrorException.INVALID_GRANT,
                    "The mfa_token is not valid (expired or already used): sign in again.");
        }
        if (mfa.lockedOut(user)) {
            // Worded like a wrong code, as Keycloak's own OTP check is: the lock is not announced.
            event.error(Errors.USER_TEMPORARILY_DISABLED);
            return wrongCode(handle);
        }
        switch (mfa.verify(handle, pending, user, code, event.clone())) {
            case VALID -> {
                return Response.ok(tokens(realm, client, user, alias, link.getUserId(), pending.get(AppSecondFactor.SCOPE), current, event))
                        .type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
            }
            case WRONG -> {
                event.error(Errors.INVALID_USER_CREDENTIALS);
                return wrongCode(handle);
            }
            case SPENT -> {
                return refuse(event, Errors.INVALID_USER_CREDENTIALS, "code_spent", OAuthErrorException.INVALID_GRANT,
                        "Too many wrong codes, or the code expired: sign in again.");
            }
            default -> {
                event.detail(TillitEvents.DETAIL, TillitEvents.APP_MFA_TOKEN_REFUSED);
                return refuse(event, Errors.INVALID_CODE, null, OAuthErrorException.INVALID_GRANT,
                        "The mfa_token is not valid (expired or already used): sign in again.");
            }
        }
    }

    private static Response wrongCode(String handle) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", OAuthErrorException.INVALID_GRANT);
        body.put("error_description", "The code is not correct.");
        body.put(MFA_TOKEN, handle); // still good for the attempts that remain
        return json(Response.Status.BAD_REQUEST, body);
    }

    private static Response json(Response.Status status, Map<String, Object> body) {
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    private String browserAddress(RealmModel realm, ClientModel client, String alias) {
        return UriBuilder.fromUri(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()))
                .path("protocol/openid-connect/auth").queryParam("client_id", client.getClientId()).queryParam("response_type", "code")
                .queryParam("scope", OAuth2Constants.SCOPE_OPENID).queryParam("kc_idp_hint", alias).build().toString();
    }

    private AccessTokenResponse tokens(RealmModel realm, ClientModel client, UserModel user, String alias, String providerSubject,
                                       String scope, AppSecondFactor.Factor secondFactor, EventBuilder event) {
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope == null || scope.isBlank() ? OAuth2Constants.SCOPE_OPENID : scope);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        // How the user got in, for the acr and amr claims: the provider's sign-in, and the second factor when asked.
        authSession.setAuthNote(Constants.LEVEL_OF_AUTHENTICATION, secondFactor == null ? "1" : "2");
        authSession.setUserSessionNote(SignInMethods.NOTE, SignInMethods.of(SignInMethods.FEDERATED,
                secondFactor == null ? null : SignInMethods.forCredentialType(secondFactor.credentialType)));
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, user, user.getUsername(),
                session.getContext().getConnection().getRemoteHost(), "tillit-app-sign-in", false, null, alias + "." + providerSubject,
                UserSessionModel.SessionPersistenceState.PERSISTENT);
        userSession.setNote(Details.IDENTITY_PROVIDER, alias);
        userSession.setNote(Details.IDENTITY_PROVIDER_USERNAME, providerSubject);
        event.session(userSession);
        // A new app installation (or one that names none) is told to the owner like a new browser.
        AppDeviceAlert.check(session, realm, user, session.getContext().getHttpRequest().getDecodedFormParameters()
                .getFirst(AppDeviceAlert.DEVICE_PARAMETER), event, userSession.getId());
        ClientSessionContext context = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        AccessTokenResponse response = new TokenManager().responseBuilder(realm, client, event, session, userSession, context)
                .generateAccessToken().generateRefreshToken().generateIDToken().build();
        new AuthenticationSessionManager(session).removeAuthenticationSession(realm, authSession, false);
        event.success();
        return response;
    }

    private OIDCIdentityProviderConfig oidcConfig(IdentityProviderModel model) {
        try {
            IdentityProvider<?> provider = IdentityBrokerService.getIdentityProvider(session, model, IdentityProvider.class);
            return provider != null && provider.getConfig() instanceof OIDCIdentityProviderConfig oidc ? oidc : null;
        } catch (RuntimeException e) {
            LOG.warnf("Identity provider '%s' cannot be used for app sign-in: %s", model.getAlias(), e.getMessage());
            return null;
        }
    }

    private static List<String> list(Map<String, String> config, String key) {
        String value = config.get(key);
        return value == null ? List.of() : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static Response refuse(EventBuilder event, String error, String reason, String oauthError, String description) {
        if (reason != null) {
            event.detail(Details.REASON, reason);
        }
        event.error(error);
        return Response.status(oauthError.equals("invalid_client") ? Response.Status.UNAUTHORIZED : Response.Status.BAD_REQUEST)
                .entity(Map.of("error", oauthError, "error_description", description)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public void close() {
    }
}
