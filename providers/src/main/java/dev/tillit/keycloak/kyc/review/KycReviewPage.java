package dev.tillit.keycloak.kyc.review;

import java.io.IOException;
import java.net.URI;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.locale.LocaleUpdaterProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LocaleBean;
import org.keycloak.theme.beans.MessageFormatterMethod;
import org.keycloak.theme.freemarker.FreeMarkerProvider;
import org.keycloak.util.JsonSerialization;

/**
 * The reviewers' web page, {@code /realms/<realm>/tillit-kyc-review/}: one HTML page of the Tillit
 * login theme plus a script that signs the reviewer in with the authorization code flow and PKCE
 * (client {@value KycReviewPageFactory#CLIENT_ID}) and then calls the review API
 * ({@link KycReviewResource}) with the access token, kept in the page's memory only.
 *
 * The page itself holds no personal data and needs no sign-in: every case, picture and decision
 * comes from the admin API, which alone decides who is a reviewer. Rendered outside any login
 * flow, so it builds the theme's usual template attributes (msg, locale, url) itself and sets its
 * own, stricter headers: no inline script, pictures only from this origin or the script's blob:
 * URLs, never framed, never stored.
 */
public class KycReviewPage implements RealmResourceProvider {

    static final String TEMPLATE = "tillit-kyc-review.ftl";
    /** Message keys of the page; the script gets all of them, already formatted for the page's language. */
    static final String MESSAGE_PREFIX = "tillitReviewer";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final List<String> REASONS = Arrays.stream(ReasonCode.values()).map(ReasonCode::id).toList();

    private final KeycloakSession session;

    public KycReviewPage(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam(LocaleSelectorProvider.KC_LOCALE_PARAM) String kcLocale,
                         @QueryParam("ui_locales") String uiLocales) throws IOException {
        RealmModel realm = session.getContext().getRealm();
        URI pageUri = pageUri(realm);
        if (!session.getContext().getUri().getRequestUri().getRawPath().equals(pageUri.getRawPath())) {
            // One address only: the client's redirect URI is exactly this, and relative theme links stay right.
            return Response.seeOther(pageUri).build();
        }
        String explicit = supported(realm, kcLocale);
        String requested = explicit != null ? explicit : uiLocales == null ? null
                : Arrays.stream(uiLocales.split(" ")).map(l -> supported(realm, l)).filter(l -> l != null).findFirst().orElse(null);
        if (requested != null) {
            // Keycloak's own way to say "the person asked for this language": above the account's and the browser's.
            session.setAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE, requested);
        }
        if (explicit != null) {
            // Picked on this page: Keycloak's locale cookie, so its sign-in page speaks the same language.
            session.getProvider(LocaleUpdaterProvider.class).updateLocaleCookie(explicit);
        }
        Locale locale = session.getContext().resolveLocale(signedInUser(realm));
        Theme theme = theme();
        Properties messages = theme.getEnhancedMessages(realm, locale);

        ClientModel client = realm.getClientByClientId(KycReviewPageFactory.CLIENT_ID);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msg", new MessageFormatterMethod(locale, messages));
        data.put("locale", new LocaleBean(realm, locale, session.getContext().getUri().getRequestUriBuilder(), messages));
        data.put("lang", locale.toLanguageTag());
        data.put("realm", Map.of("name", realm.getName(), "displayName", realm.getDisplayName() == null ? realm.getName() : realm.getDisplayName()));
        data.put("properties", theme.getProperties());
        String themeRoot = Urls.themeRoot(session.getContext().getUri().getBaseUri()).toString();
        data.put("url", Map.of("resourcesPath", themeRoot + "/login/" + theme.getName(),
                "resourcesCommonPath", themeRoot + "/common/keycloak"));
        data.put("ready", client != null && client.isEnabled());
        data.put("statuses", KycReviewResource.QUEUE_STATUSES);
        data.put("reasons", REASONS);
        data.put("documents", KycReviewResource.RESUBMITTABLE_IDS);
        data.put("config", scriptConfig(realm, pageUri, locale, explicit, messages));

        String html;
        try {
            html = session.getProvider(FreeMarkerProvider.class).processTemplate(data, TEMPLATE, theme);
        } catch (FreeMarkerException e) {
            throw new IllegalStateException("cannot render " + TEMPLATE, e);
        }
        Response.ResponseBuilder response = Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).language(locale);
        securityHeaders(realm, response);
        return response.build();
    }

    /** What the script needs: endpoints, client, its own address, the language, and every text it shows. */
    private String scriptConfig(RealmModel realm, URI pageUri, Locale locale, String explicitLocale, Properties messages)
            throws IOException {
        UriBuilder oidc = realmBase(realm).path("protocol").path("openid-connect");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("clientId", KycReviewPageFactory.CLIENT_ID);
        config.put("redirectUri", pageUri.toString());
        config.put("authorizationEndpoint", oidc.clone().path("auth").build().toString());
        config.put("tokenEndpoint", oidc.clone().path("token").build().toString());
        config.put("logoutEndpoint", oidc.clone().path("logout").build().toString());
        config.put("api", session.getContext().getUri().getBaseUriBuilder().path("admin").path("realms").path(realm.getName())
                .path(KycReviewResourceProviderFactory.ID).build().toString());
        config.put("lang", locale.toLanguageTag());
        // A language picked on this page: the script keeps it across the sign-in's round trip.
        config.put("explicitLocale", explicitLocale);
        Map<String, String> texts = new TreeMap<>();
        for (String key : messages.stringPropertyNames()) {
            if (key.startsWith(MESSAGE_PREFIX)) {
                // Formatted once here (doubled apostrophes undone); {0} placeholders stay for the script.
                texts.put(key, new MessageFormat(messages.getProperty(key).replace("{0}", "'{0}'"), locale).format(new Object[0]));
            }
        }
        config.put("texts", texts);
        // Inside <script type="application/json">: no "<" may close it early.
        return JsonSerialization.writeValueAsString(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /**
     * The realm's usual security headers, but for the page's own policy: Keycloak's header filter would
     * otherwise overwrite it with the realm's login-page CSP (which allows framing by itself).
     */
    private void securityHeaders(RealmModel realm, Response.ResponseBuilder response) {
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        Map<String, String> configured = realm.getBrowserSecurityHeaders() == null ? Map.of() : realm.getBrowserSecurityHeaders();
        for (BrowserSecurityHeaders header : List.of(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY,
                BrowserSecurityHeaders.X_ROBOTS_TAG, BrowserSecurityHeaders.X_CONTENT_TYPE_OPTIONS)) {
            String value = configured.getOrDefault(header.getKey(), header.getDefaultValue());
            if (value != null && !value.isEmpty()) {
                response.header(header.getHeaderName(), value);
            }
        }
        response.header(BrowserSecurityHeaders.CONTENT_SECURITY_POLICY.getHeaderName(), CSP)
                .header(BrowserSecurityHeaders.X_FRAME_OPTIONS.getHeaderName(), "DENY")
                .header(BrowserSecurityHeaders.REFERRER_POLICY.getHeaderName(), "no-referrer")
                .header("Cache-Control", "no-store")
                .header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /**
     * Whoever holds Keycloak's sign-in cookie for this realm, only to speak their language
     * (the account's locale): the page shows nothing of theirs and grants nothing.
     */
    private UserModel signedInUser(RealmModel realm) {
        AuthenticationManager.AuthResult signedIn = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        return signedIn == null ? null : signedIn.getUser();
    }

    /** The realm's login theme when it has the page (Tillit or a child of it), else Tillit's own. */
    private Theme theme() throws IOException {
        Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
        return theme.getTemplate(TEMPLATE) != null ? theme : session.theme().getTheme("tillit", Theme.Type.LOGIN);
    }

    private static String supported(RealmModel realm, String tag) {
        if (tag == null || tag.isBlank() || !realm.isInternationalizationEnabled()) {
            return null;
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return realm.getSupportedLocalesStream().filter(l -> l.equals(tag.trim()) || l.equals(language)).findFirst().orElse(null);
    }

    private UriBuilder realmBase(RealmModel realm) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName());
    }

    private URI pageUri(RealmModel realm) {
        return realmBase(realm).path(KycReviewPageFactory.ID).path("/").build();
    }

    @Override
    public void close() {
    }
}
