package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.AppleStandIn.Person;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.OidcStandIn;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The mobile app's native Sign in with Apple / Google ({@code /realms/tillit/tillit-app-sign-in/{provider}/token}):
 * the id_token the platform SDK gave the app is exchanged for our tokens only when it is genuine (signed by
 * a key in the provider's JWKS, right issuer, the app's audience, unexpired, nonce matching and unused) and
 * its subject is already linked to an account. A new identity is sent to the browser, where the first
 * sign-in links or signs up; an account holding the same email is never taken over.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AppSignInIT {

    private static final int GOOGLE_PORT = 3210;
    private static final String GOOGLE_ALIAS = "google-app-standin";
    /** The app's iOS client id: Google's iOS SDK gives tokens with it as audience. */
    private static final String GOOGLE_APP_CLIENT = "1234-ios.apps.googleusercontent.example";
    /** The app's Android client id: the azp of the tokens Credential Manager gives on Android. */
    private static final String GOOGLE_ANDROID_CLIENT = "1234-android.apps.googleusercontent.example";
    /** The provider's (web, server) client id: the aud of Android's tokens. */
    private static final String GOOGLE_WEB_CLIENT = "web-client.apps.googleusercontent.example";
    private static AppleStandIn apple;
    private static OidcStandIn google;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private IdentityProviderRepresentation asImported;

    @BeforeAll
    static void standIns() {
        apple = new AppleStandIn();
        google = new OidcStandIn(GOOGLE_PORT);
        TillitServerConfig.writeVaultEntry(AppleStandIn.VAULT_KEY, apple.operatorKeyPem());
    }

    @AfterAll
    static void stop() {
        apple.close();
        google.close();
    }

    /**
     * Apple pointed at its stand-in with the app's bundle id as the app audience; Keycloak's Google provider
     * has Google's endpoints built in, so an OpenID Connect provider on the Google stand-in plays it.
     */
    @BeforeEach
    void pointAtStandIns() {
        asImported = AppleStandIn.pointAt(realm, Map.of("appAudiences", AppleStandIn.BUNDLE_ID, "appClients", "demo-app"));

        IdentityProviderRepresentation oidc = new IdentityProviderRepresentation();
        oidc.setAlias(GOOGLE_ALIAS);
        oidc.setProviderId("oidc");
        oidc.setEnabled(true);
        oidc.setFirstBrokerLoginFlowAlias("tillit first broker login");
        oidc.setConfig(new java.util.HashMap<>(Map.of("clientId", GOOGLE_WEB_CLIENT, "clientSecret", "unused",
                "authorizationUrl", google.issuer() + "/auth", "tokenUrl", google.issuer() + "/token", "issuer", google.issuer(),
                "useJwksUrl", "true", "jwksUrl", google.jwksUrl(), "validateSignature", "true",
                "appAudiences", GOOGLE_APP_CLIENT + "," + GOOGLE_ANDROID_CLIENT, "appClients", "demo-app")));
        realm.admin().identityProviders().create(oidc).close();
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void restore() {
        AppleStandIn.restore(realm, asImported);
        realm.admin().identityProviders().get(GOOGLE_ALIAS).remove();
    }

    private HttpResponse<String> exchange(String provider, String clientId, String idToken, String nonce) throws Exception {
        return exchange(provider, clientId, idToken, nonce, "");
    }

    /** {@code more}: further form fields, each as {@code &name=value}. */
    private HttpResponse<String> exchange(String provider, String clientId, String idToken, String nonce, String more) throws Exception {
        String form = "client_id=" + enc(clientId) + "&id_token=" + enc(idToken) + "&nonce=" + enc(nonce) + more;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/tillit-app-sign-in/" + provider + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Person applePerson(String email) {
        return new Person("001" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".app", email, true, "Ada", "Berg");
    }

    private String linkedUser(String provider, String sub) {
        String userId = TestUsers.create(realm, TestUsers.freshEmail("app-" + provider), null, "Tillit-App1!");
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(provider);
        link.setUserId(sub);
        link.setUserName(sub);
        realm.admin().users().get(userId).addFederatedIdentity(provider, link).close();
        return userId;
    }

    @Test
    void aLinkedAppleIdentityGetsTokensOnceForItsNonce() throws Exception {
        Person person = applePerson(null);
        String userId = linkedUser("apple", person.sub());
        // Apple's SDK carries SHA-256(raw nonce) in the token; the app sends the raw nonce.
        String raw = UUID.randomUUID().toString();
        String idToken = apple.idToken(person, AppleStandIn.BUNDLE_ID, sha256Hex(raw), Forge.NONE);

        HttpResponse<String> answer = exchange("apple", "demo-app", idToken, raw);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode tokens = TestUsers.json(answer);
        assertEquals(userId, DemoWebClient.claims(tokens.get("access_token").asText()).get("sub").asText());
        assertEquals(userId, DemoWebClient.claims(tokens.get("id_token").asText()).get("sub").asText());
        assertEquals(200, TestUsers.refresh(realm, tokens.get("refresh_token").asText()).statusCode(), "the refresh token works");
        EventRepresentation event = events.await("app_sign_in");
        assertEquals("LOGIN", event.getType());
        assertEquals(userId, event.getUserId());
        assertEquals("apple", TillitEventLog.detail(event, "identity_provider"));

        // The same id_token (same nonce) again: refused, whoever sends it.
        HttpResponse<String> replay = exchange("apple", "demo-app", idToken, raw);
        assertEquals(400, replay.statusCode(), replay.body());
        assertEquals("invalid_grant", TestUsers.json(replay).get("error").asText());
        assertEquals("nonce_replayed", TillitEventLog.detail(events.await("app_sign_in"), "reason"));
    }

    /**
     * The native sign-in is a door like the others: a new app installation (form parameter device_id) is alerted
     * like a new browser, a known one is not, and one that names no installation is new every time.
     */
    @Test
    void aNewAppInstallationIsAlertedAndAKnownOneIsNot() throws Exception {
        try (TillitSettingsAdmin settings = new TillitSettingsAdmin(realm.admin()).set("knownDevicesPerUser", "20")) {
            Person person = applePerson(null);
            String userId = linkedUser("apple", person.sub());
            String installation = "installation-" + UUID.randomUUID();
            for (String device : java.util.Arrays.asList(installation, installation, null)) {
                String raw = UUID.randomUUID().toString();
                HttpResponse<String> answer = exchange("apple", "demo-app", apple.idToken(person, AppleStandIn.BUNDLE_ID, sha256Hex(raw),
                        Forge.NONE), raw, device == null ? "" : "&device_id=" + enc(device));
                assertEquals(200, answer.statusCode(), answer.body());
            }
            // The third sign-in's alert is the marker: by then the second (a known installation) would have sent one too.
            assertEquals(userId, events.await("new_device_sign_in").getUserId());
            assertEquals(userId, events.await("new_device_sign_in").getUserId());
            assertEquals(2, events.all("new_device_sign_in").size(), "the known installation was not alerted");
            assertEquals(1, realm.admin().users().get(userId).toRepresentation().getAttributes().get("tillit_known_devices").size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Forge.class, names = {"WRONG_AUDIENCE", "EXPIRED", "ALG_NONE", "UNKNOWN_KID", "OTHER_SIGNER", "WRONG_ISSUER", "WRONG_NONCE"})
    void aWrongAppleIdTokenIsRefused(Forge forge) throws Exception {
        Person person = applePerson(null);
        linkedUser("apple", person.sub());
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> answer = exchange("apple", "demo-app", apple.idToken(person, AppleStandIn.BUNDLE_ID, nonce, forge), nonce);
        assertEquals(400, answer.statusCode(), forge + ": " + answer.body());
        assertEquals("invalid_grant", TestUsers.json(answer).get("error").asText(), forge + ": " + answer.body());
        EventRepresentation event = events.await("app_sign_in");
        assertEquals("LOGIN_ERROR", event.getType());
        assertEquals("id_token_invalid", TillitEventLog.detail(event, "reason"), forge.name());
    }

    /** The web Services ID is an audience of Apple's browser tokens, not of the app's; the bundle id is the app's. */
    @Test
    void theBrowsersAudienceIsNotTheApps() throws Exception {
        Person person = applePerson(null);
        linkedUser("apple", person.sub());
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> answer = exchange("apple", "demo-app", apple.idToken(person, AppleStandIn.SERVICES_ID, nonce, Forge.NONE), nonce);
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("invalid_grant", TestUsers.json(answer).get("error").asText());
    }

    @Test
    void aNewIdentityIsSentToTheBrowserAndNeverTakesOverTheAccountWithItsEmail() throws Exception {
        String email = TestUsers.freshEmail("app-owner");
        String ownerId = TestUsers.create(realm, email, null, "Tillit-Owner1!");
        Person stranger = applePerson(email);
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> answer = exchange("apple", "demo-app", apple.idToken(stranger, AppleStandIn.BUNDLE_ID, nonce, Forge.NONE), nonce);
        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode body = TestUsers.json(answer);
        assertEquals("interaction_required", body.get("error").asText());
        assertTrue(body.get("continue_in_browser").asText().startsWith(realm.getBaseUrl() + "/protocol/openid-connect/auth"), body.toString());
        assertTrue(body.get("continue_in_browser").asText().contains("kc_idp_hint=apple"), body.toString());
        assertEquals("not_linked", TillitEventLog.detail(events.await("app_sign_in"), "reason"));
        assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty(), "nothing was linked");
        assertEquals(1, realm.admin().users().searchByEmail(email, true).size(), "no account was made");
    }

    @Test
    void onlyTheConfiguredClientsGetTokens() throws Exception {
        Person person = applePerson(null);
        linkedUser("apple", person.sub());
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> answer = exchange("apple", "demo-web", apple.idToken(person, AppleStandIn.BUNDLE_ID, nonce, Forge.NONE), nonce);
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("unauthorized_client", TestUsers.json(answer).get("error").asText());
        HttpResponse<String> telegram = exchange("telegram", "demo-app", apple.idToken(person, AppleStandIn.BUNDLE_ID, nonce, Forge.NONE), nonce);
        assertEquals("unauthorized_client", TestUsers.json(telegram).get("error").asText(), "Telegram has no app sign-in");

        // A confidential client gets nothing here, even when listed: it would get tokens without its secret.
        String confidential = "app-confidential-" + UUID.randomUUID().toString().substring(0, 8);
        org.keycloak.representations.idm.ClientRepresentation client = new org.keycloak.representations.idm.ClientRepresentation();
        client.setClientId(confidential);
        client.setPublicClient(false);
        client.setSecret("s3cret");
        client.setEnabled(true);
        realm.admin().clients().create(client).close();
        IdentityProviderRepresentation idp = realm.admin().identityProviders().get("apple").toRepresentation();
        idp.getConfig().put("appClients", "demo-app," + confidential);
        realm.admin().identityProviders().get("apple").update(idp);
        String another = UUID.randomUUID().toString();
        HttpResponse<String> secretless = exchange("apple", confidential, apple.idToken(person, AppleStandIn.BUNDLE_ID, another, Forge.NONE), another);
        assertEquals(400, secretless.statusCode(), secretless.body());
        assertEquals("unauthorized_client", TestUsers.json(secretless).get("error").asText());
    }

    /** Google's tokens as its SDKs hand them to the app: Android's (aud = web client id, azp = Android client id) and iOS's. */
    @Test
    void aLinkedGoogleIdentityGetsTokensFromAndroidAndIos() throws Exception {
        String sub = "1" + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        String userId = linkedUser(GOOGLE_ALIAS, sub);
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> android = exchange(GOOGLE_ALIAS, "demo-app", google.androidIdToken(sub, GOOGLE_WEB_CLIENT, GOOGLE_ANDROID_CLIENT, nonce,
                Map.of("email", "someone@gmail.example", "email_verified", true), Forge.NONE), nonce);
        assertEquals(200, android.statusCode(), android.body());
        assertEquals(userId, DemoWebClient.claims(TestUsers.json(android).get("access_token").asText()).get("sub").asText());

        String another = UUID.randomUUID().toString();
        HttpResponse<String> ios = exchange(GOOGLE_ALIAS, "demo-app", google.idToken(sub, GOOGLE_APP_CLIENT, another,
                Map.of("azp", GOOGLE_APP_CLIENT), Forge.NONE), another);
        assertEquals(200, ios.statusCode(), ios.body());
    }

    @ParameterizedTest
    @EnumSource(value = Forge.class, names = {"WRONG_AUDIENCE", "EXPIRED", "ALG_NONE", "UNKNOWN_KID", "OTHER_SIGNER", "WRONG_ISSUER", "WRONG_NONCE"})
    void aWrongGoogleIdTokenIsRefused(Forge forge) throws Exception {
        String sub = "1" + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        linkedUser(GOOGLE_ALIAS, sub);
        String nonce = UUID.randomUUID().toString();
        HttpResponse<String> answer = exchange(GOOGLE_ALIAS, "demo-app",
                google.androidIdToken(sub, GOOGLE_WEB_CLIENT, GOOGLE_ANDROID_CLIENT, nonce, Map.of(), forge), nonce);
        assertEquals(400, answer.statusCode(), forge + ": " + answer.body());
        assertEquals("invalid_grant", TestUsers.json(answer).get("error").asText());
        assertEquals("id_token_invalid", TillitEventLog.detail(events.await("app_sign_in"), "reason"), forge.name());
    }

    /**
     * A token with the web client id as audience stands for the app only when Google issued it to one of the
     * app's clients (azp): not one issued to our website, nor one without azp, nor one issued to another app.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {GOOGLE_WEB_CLIENT, "", "5678-android.apps.googleusercontent.example"})
    void aTokenForTheWebClientIdNotIssuedToTheAppIsRefused(String presenter) throws Exception {
        String sub = "1" + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        linkedUser(GOOGLE_ALIAS, sub);
        String nonce = UUID.randomUUID().toString();
        String idToken = presenter.isEmpty() ? google.idToken(sub, GOOGLE_WEB_CLIENT, nonce, Map.of(), Forge.NONE)
                : google.androidIdToken(sub, GOOGLE_WEB_CLIENT, presenter, nonce, Map.of(), Forge.NONE);
        HttpResponse<String> answer = exchange(GOOGLE_ALIAS, "demo-app", idToken, nonce);
        assertEquals(400, answer.statusCode(), "azp " + presenter + ": " + answer.body());
        assertEquals("id_token_invalid", TillitEventLog.detail(events.await("app_sign_in"), "reason"), "azp " + presenter);
    }

    /** The provider's "Hosted domain" (Google Workspace) holds in the app as in the browser: the token's hd must be one of them. */
    @Test
    void theProvidersHostedDomainIsHonoured() throws Exception {
        IdentityProviderRepresentation idp = realm.admin().identityProviders().get(GOOGLE_ALIAS).toRepresentation();
        idp.getConfig().put("hostedDomain", "tillit.example,tillit-staff.example");
        realm.admin().identityProviders().get(GOOGLE_ALIAS).update(idp);
        String sub = "1" + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        linkedUser(GOOGLE_ALIAS, sub);

        String noDomain = UUID.randomUUID().toString();
        HttpResponse<String> consumer = exchange(GOOGLE_ALIAS, "demo-app",
                google.androidIdToken(sub, GOOGLE_WEB_CLIENT, GOOGLE_ANDROID_CLIENT, noDomain, Map.of(), Forge.NONE), noDomain);
        assertEquals(400, consumer.statusCode(), "a consumer account has no hd: " + consumer.body());
        String otherDomain = UUID.randomUUID().toString();
        HttpResponse<String> other = exchange(GOOGLE_ALIAS, "demo-app",
                google.androidIdToken(sub, GOOGLE_WEB_CLIENT, GOOGLE_ANDROID_CLIENT, otherDomain, Map.of("hd", "elsewhere.example"), Forge.NONE), otherDomain);
        assertEquals(400, other.statusCode(), "another Workspace domain: " + other.body());
        String ours = UUID.randomUUID().toString();
        HttpResponse<String> staff = exchange(GOOGLE_ALIAS, "demo-app",
                google.androidIdToken(sub, GOOGLE_WEB_CLIENT, GOOGLE_ANDROID_CLIENT, ours, Map.of("hd", "tillit-staff.example"), Forge.NONE), ours);
        assertEquals(200, staff.statusCode(), staff.body());
    }

    @Test
    void aTokenWithoutNonceIsRefused() throws Exception {
        String sub = "1" + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        linkedUser(GOOGLE_ALIAS, sub);
        HttpResponse<String> answer = exchange(GOOGLE_ALIAS, "demo-app", google.idToken(sub, GOOGLE_APP_CLIENT, null, Map.of(), Forge.NONE), "anything");
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("invalid_grant", TestUsers.json(answer).get("error").asText());
    }

    private static String sha256Hex(String value) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
