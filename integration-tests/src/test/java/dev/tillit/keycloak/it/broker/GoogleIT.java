package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.GoogleStandIn;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Google. The demo realm's {@code google} provider is Keycloak's own (Google's endpoints built in):
 * its button sends the browser to Google with our client id, state, nonce and PKCE (S256). The
 * journeys behind it — sign up, and link an existing account with the same verified email — run
 * through a second Keycloak realm playing Google as an OpenID Connect provider with the same
 * first-sign-in flow: nothing is linked by email, linking takes the account's password.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class GoogleIT {

    private static final String ALIAS = GoogleStandIn.ALIAS;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    /** Google, played by a second realm of the same server. */
    @InjectRealm(ref = "google", config = GoogleStandIn.Realm.class)
    ManagedRealm google;

    @InjectMailServer
    MailServer mail;

    private TillitEventLog events;

    @BeforeEach
    void provider() {
        GoogleStandIn.register(realm, google);
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void removeProvider() {
        GoogleStandIn.remove(realm);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void theGoogleButtonSendsTheBrowserToGoogleWithStateNonceAndPkce() throws Exception {
        // The demo import fills the client id from TILLIT_GOOGLE_CLIENT_ID; the admin API takes the placeholder
        // literally, so the test sets one as an operator would.
        IdentityProviderRepresentation asImported = realm.admin().identityProviders().get("google").toRepresentation();
        IdentityProviderRepresentation configured = realm.admin().identityProviders().get("google").toRepresentation();
        String clientId = "1234567890-tillit.apps.googleusercontent.com";
        configured.getConfig().put("clientId", clientId);
        realm.admin().identityProviders().get("google").update(configured);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl("en"));
            assertTrue(flow.page().contains("id=\"social-google\""), "our Google button");
            assertTrue(flow.page().contains("class=\"google\""), "with Google's mark");
            HttpResponse<String> toGoogle = flow.getWithoutRedirect(flow.link("/broker/google/login"));
            assertTrue(toGoogle.statusCode() == 302 || toGoogle.statusCode() == 303, toGoogle.statusCode() + " " + toGoogle.body());
            URI location = URI.create(toGoogle.headers().firstValue("Location").orElseThrow());
            assertEquals("https://accounts.google.com/o/oauth2/v2/auth", location.getScheme() + "://" + location.getHost() + location.getPath());
            Map<String, String> q = query(location);
            assertEquals(clientId, q.get("client_id"));
            assertEquals("code", q.get("response_type"));
            assertTrue(q.get("scope").contains("openid"), q.toString());
            assertEquals(realm.getBaseUrl() + "/broker/google/endpoint", q.get("redirect_uri"));
            assertEquals("S256", q.get("code_challenge_method"));
            assertTrue(q.get("code_challenge").matches("[A-Za-z0-9_-]{43}"), q.toString());
            assertNotNull(q.get("state"));
            assertNotNull(q.get("nonce"));
        } finally {
            realm.admin().identityProviders().get("google").update(asImported);
        }
    }

    /** From our sign-in page through "Google"'s own sign-in back to us; the flow is on whatever we answer. */
    private HttpLoginFlow signInAtGoogle(DemoWebClient client, String username) throws Exception {
        HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl("en")).follow("/broker/" + ALIAS + "/login");
        assertTrue(flow.page().contains("kc-form-login"), flow.page());
        return flow.submitForm("kc-form-login", Map.of("username", username, "password", GoogleStandIn.PASSWORD));
    }

    @Test
    void signUpWithGoogle() throws Exception {
        String email = TestUsers.freshEmail("google-new");
        String username = GoogleStandIn.user(google, email);
        String googleSub = google.admin().users().searchByUsername(username, true).get(0).getId();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInAtGoogle(client, username);
            assertTrue(flow.page().contains("tillit-first-login-signup"), flow.page());
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("signed-in"), flow.page());
            assertNotNull(client.awaitTokens().get("access_token"));
        }
        EventRepresentation signedUp = events.await("broker_signed_up");
        UserRepresentation user = realm.admin().users().get(signedUp.getUserId()).toRepresentation();
        assertEquals(email, user.getEmail(), "Google vouches for the address and no account holds it");
        assertTrue(user.isEmailVerified());
        assertEquals("Gun", user.getFirstName());
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(user.getId()).getFederatedIdentity();
        assertEquals(ALIAS, links.get(0).getIdentityProvider());
        assertEquals(googleSub, links.get(0).getUserId());
    }

    @Test
    void linkAnExistingAccountWithTheSameEmailTakesItsPassword() throws Exception {
        String email = TestUsers.freshEmail("google-link");
        String ownerId = TestUsers.create(realm, email, null, "Tillit-Owner1!");
        String username = GoogleStandIn.user(google, email);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInAtGoogle(client, username);
            // The same verified email: still the choice, never a silent link.
            assertTrue(flow.page().contains("tillit-first-login-link"), flow.page());
            assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty());
            flow.submit("tillit-first-login-link", "choice", "link");
            assertTrue(flow.page().contains("kc-form-login"), flow.page());
            assertTrue(!flow.page().contains("social-" + ALIAS) && !flow.page().contains("kc-social-providers"), "no provider buttons when linking");
            flow.submitForm("kc-form-login", Map.of("username", email, "password", "Wrong-Pass1!"));
            assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty(), "a wrong password links nothing");
            flow.submitForm("kc-form-login", Map.of("username", email, "password", "Tillit-Owner1!"));
            assertTrue(flow.page().contains("tillit-linked"), flow.page());
            flow.submitForm("tillit-linked-form", Map.of("continue", ""));
            assertTrue(flow.page().contains("signed-in"), flow.page());
            assertEquals(ownerId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(ownerId).getFederatedIdentity();
        assertEquals(1, links.size());
        assertEquals(ALIAS, links.get(0).getIdentityProvider());
        assertEquals(ownerId, events.await("broker_link_confirmed").getUserId());

        // The next sign-in with that Google account goes straight in.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = signInAtGoogle(client, username);
            assertTrue(flow.page().contains("signed-in"), flow.page());
            assertEquals(ownerId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
    }

    /**
     * A provider identity costs an attacker nothing, so "link existing account" must not be a way round the bot
     * check: until it passes, a right and a wrong password of the account to link both get the separate check,
     * no password is judged (no failure, no LOGIN_ERROR) and nothing is linked.
     */
    @Test
    void theLinkFormJudgesNoPasswordBeforeTheBotCheck() throws Exception {
        String email = TestUsers.freshEmail("google-link-stuffing");
        String ownerId = TestUsers.create(realm, email, null, "Tillit-Owner1!");
        String attacker = GoogleStandIn.user(google, TestUsers.freshEmail("google-stuffer"));
        for (String password : List.of("Tillit-Owner1!", "Wrong-Pass1!")) {
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                HttpLoginFlow flow = signInAtGoogle(client, attacker);
                flow.submit("tillit-first-login-link", "choice", "link");
                assertTrue(flow.onSignInWithBotCheck(), "the link form carries the bot check: " + flow.page());
                flow.solvingBotChecks(false).submitForm("kc-form-login", Map.of("username", email, "password", password));
                assertTrue(flow.onBotCheck(), password + ": the separate check, not a verdict on the password: " + flow.page());
                assertFalse(flow.page().contains("Invalid"), flow.page());
            }
        }
        assertEquals(0, ((Number) realm.admin().attackDetection().bruteForceUserStatus(ownerId).get("numFailures")).intValue());
        assertEquals(List.of(), realm.admin().getEvents(List.of("LOGIN_ERROR"), null, ownerId, null, null, null, 0, 100, "asc"));
        assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty(), "nothing linked");
    }

    /** The journey in Chromium, in both languages: our button, "Google"'s sign-in, our first-sign-in page naming Google. */
    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void signUpWithGoogleInTheBrowser(String locale) throws Exception {
        String email = TestUsers.freshEmail("google-browser");
        String username = GoogleStandIn.user(google, email);
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(locale));
            Browser.waitFor(browser, By.id("social-" + ALIAS)).click();
            GoogleStandIn.signIn(browser, username);
            Browser.waitFor(browser, By.id("tillit-first-login-signup"));
            assertTrue(browser.findElement(By.id("kc-page-title")).getText().contains("Google"), browser.getPageSource());
            Browser.screenshots(browser, "broker", "first-login-google-" + locale);
            browser.findElement(By.id("acceptTerms")).click();
            browser.findElement(By.id("acceptPrivacy")).click();
            browser.findElement(By.id("tillit-sign-up-new")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            assertNotNull(client.awaitTokens().get("access_token"));
        }
        assertEquals(email, realm.admin().users().get(events.await("broker_signed_up").getUserId()).toRepresentation().getEmail());
    }
}
