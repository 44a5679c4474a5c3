package dev.tillit.keycloak.broker.telegram;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.ServerMode;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.broker.BrokerRejection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sign-in with the Telegram Login Widget. {@link #performLogin} shows the widget on a page of our
 * theme; Telegram sends the browser back to {@code .../broker/<alias>/endpoint/widget/<state>} with
 * the signed user fields as query parameters. The state rides in the path so that the query holds
 * exactly Telegram's fields, all of which are signed.
 *
 * <p>A payload is accepted when its hash is right (HMAC-SHA256 keyed with SHA-256 of the bot token,
 * compared in constant time), its {@code auth_date} is younger than the configured age, and its hash
 * has not been seen before on any node ({@code SingleUseObjectProvider.putIfAbsent}, kept as long as
 * the payload could still pass the age check). The account is keyed on Telegram's numeric user id.
 */
public class TelegramIdentityProvider extends AbstractIdentityProvider<TelegramIdentityProviderConfig>
        implements SocialIdentityProvider<TelegramIdentityProviderConfig> {

    private static final Logger LOG = Logger.getLogger(TelegramIdentityProvider.class);
    static final String FORM = "tillit-telegram-login.ftl";

    public TelegramIdentityProvider(KeycloakSession session, TelegramIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    public Response performLogin(AuthenticationRequest request) {
        RealmModel realm = request.getRealm();
        if (getConfig().isOidcMode()) {
            if (!usable(realm)) {
                return session.getProvider(LoginFormsProvider.class).setAuthenticationSession(request.getAuthenticationSession())
                        .setError(TillitMessages.TELEGRAM_UNAVAILABLE).createErrorPage(Response.Status.SERVICE_UNAVAILABLE);
            }
            return oidc().performLogin(request);
        }
        AuthenticationSessionModel authSession = request.getAuthenticationSession();
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class).setAuthenticationSession(authSession);
        if (!usable(realm)) {
            return forms.setError(TillitMessages.TELEGRAM_UNAVAILABLE).createErrorPage(Response.Status.SERVICE_UNAVAILABLE);
        }
        URI callback = UriBuilder.fromUri(Urls.identityProviderAuthnResponse(
                        request.getUriInfo().getBaseUri(), getConfig().getAlias(), realm.getName()))
                .path("widget").path(request.getState().getEncoded()).build();
        session.getProvider(SecurityHeadersProvider.class).options().allowFrameSrc(TelegramIdentityProviderConfig.WIDGET_FRAME_ORIGIN);
        return forms
                .setAttribute("telegramBot", getConfig().getBotUsername())
                .setAttribute("telegramAuthUrl", callback.toString())
                .setAttribute("telegramWidgetScript", getConfig().getWidgetScriptUrl())
                .createForm(FORM);
    }

    /**
     * False, with one log line that tells the admin what to fix, when the settings or the vault do not
     * give a usable bot. (A bot without its domain set in BotFather cannot be detected from here: the
     * widget page says where to look, see the README.)
     */
    private boolean usable(RealmModel realm) {
        String problem = getConfig().configurationProblem(ServerMode.isDevelopment());
        if (problem == null && !getConfig().isOidcMode() && getConfig().resolveBotToken(session) == null) {
            problem = "Telegram: the bot token " + getConfig().getBotTokenReference()
                    + " is not in the vault (file vault: a file named " + realm.getName() + "_<key> in the vault folder).";
        }
        if (problem != null) {
            LOG.errorf("Identity provider '%s' of realm '%s' cannot be used: %s", getConfig().getAlias(), realm.getName(), problem);
            return false;
        }
        return true;
    }

    /** In OIDC mode Telegram answers at the broker endpoint itself, as any OpenID Connect provider; the widget path is gone. */
    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return getConfig().isOidcMode() ? oidc().callback(realm, callback, event) : new Endpoint(this, realm, callback, event);
    }

    private TelegramOidcProvider oidc() {
        return new TelegramOidcProvider(session, getConfig().oidcConfig());
    }

    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity) {
        return noToken();
    }

    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity,
                                  org.keycloak.models.UserSessionModel userSession, org.keycloak.models.UserModel user) {
        return noToken();
    }

    /** Telegram issues no token that could be stored or handed out. */
    private static Response noToken() {
        return Response.status(Response.Status.NOT_FOUND).build();
    }

    /** The broker endpoint Telegram sends the browser back to. */
    public static class Endpoint {

        private final TelegramIdentityProvider provider;
        private final KeycloakSession session;
        private final RealmModel realm;
        private final AuthenticationCallback callback;
        private final EventBuilder event;

        Endpoint(TelegramIdentityProvider provider, RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
            this.provider = provider;
            this.session = provider.session;
            this.realm = realm;
            this.callback = callback;
            this.event = event;
        }

        @GET
        @Path("widget/{state}")
        public Response widget(@PathParam("state") String state) {
            AuthenticationSessionModel authSession;
            try {
                authSession = callback.getAndVerifyAuthenticationSession(state);
            } catch (WebApplicationException e) {
                return e.getResponse();
            }
            session.getContext().setAuthenticationSession(authSession);

            Map<String, String> fields = new HashMap<>();
            boolean repeated = false;
            MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
            for (Map.Entry<String, List<String>> entry : query.entrySet()) {
                repeated |= entry.getValue().size() != 1;
                fields.put(entry.getKey(), entry.getValue().get(0));
            }
            TelegramLoginData data = TelegramLoginData.of(fields);

            if (!provider.usable(realm)) {
                return callback.error(provider.getConfig(), TillitMessages.TELEGRAM_UNAVAILABLE);
            }
            String token = provider.getConfig().resolveBotToken(session);
            int maxAge = provider.getConfig().getMaxAuthAgeSeconds();
            TelegramLoginData.Problem problem = repeated ? TelegramLoginData.Problem.INCOMPLETE
                    : data.check(token, Time.currentTime(), maxAge);
            // Only a genuine, fresh payload takes a slot, so forgeries cannot fill the store; the slot
            // outlives the age check, after which the payload is refused as stale anyway.
            if (problem == null && !session.singleUseObjects().putIfAbsent(
                    "tillit:telegram:" + realm.getId() + ":" + data.get(TelegramLoginData.HASH).toLowerCase(), maxAge + 60L)) {
                problem = TelegramLoginData.Problem.REPLAYED;
            }
            if (problem != null) {
                BrokerRejection.record(event.clone(), provider.getConfig().getAlias(), problem.reason());
                LOG.debugf("Telegram payload refused in realm %s: %s", realm.getName(), problem.reason());
                return callback.error(provider.getConfig(), switch (problem) {
                    case STALE -> TillitMessages.TELEGRAM_EXPIRED;
                    case REPLAYED -> TillitMessages.TELEGRAM_REPLAYED;
                    default -> TillitMessages.TELEGRAM_REJECTED;
                });
            }

            BrokeredIdentityContext identity = new BrokeredIdentityContext(data.userId(), provider.getConfig());
            String username = data.get("username");
            identity.setUsername(username != null && !username.isBlank() ? username : data.userId());
            identity.setFirstName(data.get("first_name"));
            identity.setLastName(data.get("last_name"));
            identity.setIdp(provider);
            identity.setAuthenticationSession(authSession);
            return callback.authenticated(identity);
        }
    }
}
