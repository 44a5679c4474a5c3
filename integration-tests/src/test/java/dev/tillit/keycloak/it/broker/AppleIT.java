package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.AppleStandIn.Person;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
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
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Sign in with Apple against a local stand-in that speaks Apple's protocol (form_post, ES256
 * client-secret JWT checked with the operator's key, id_tokens signed with the stand-in's own
 * key and published as JWKS). Honest sign-up keeps the first-authorisation name; every wrong
 * id_token is refused; an email held by another account never takes that account over.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AppleIT {

    private static AppleStandIn apple;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    private TillitEventLog events;
    private IdentityProviderRepresentation asImported;

    @BeforeAll
    static void standIn() {
        apple = new AppleStandIn();
        TillitServerConfig.writeVaultEntry(AppleStandIn.VAULT_KEY, apple.operatorKeyPem());
    }

    @AfterAll
    static void stop() {
        apple.close();
    }

    /** The demo realm's Apple provider, pointed at the stand-in (production leaves Apple's endpoints). */
    @BeforeEach
    void pointAtStandIn() {
        asImported = AppleStandIn.pointAt(realm, Map.of());
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void restore() {
        AppleStandIn.restore(realm, asImported);
    }

    private static Person person(String email, boolean verified) {
        return new Person("000" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".apple", email, verified, "Märta", "Lind");
    }

    private static String relay() {
        return UUID.randomUUID().toString().substring(0, 10) + "@privaterelay.appleid.com";
    }

    @Test
    void signUpWithAppleKeepsTheFirstAuthorisationNameAndTheRelayAddress() throws Exception {
        Person person = person(relay(), true);
        apple.next(person, Forge.NONE);
        WebDriver browser = Browser.get();
        String userId;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("social-apple"));
            Browser.screenshots(browser, "broker", "sign-in-buttons-sv");
            browser.findElement(By.id("social-apple")).click();
            Browser.waitFor(browser, By.id("tillit-first-login-signup"));
            assertTrue(browser.findElement(By.id("kc-page-title")).getText().contains("Apple"));
            Browser.screenshots(browser, "broker", "first-login-apple-sv");
            browser.findElement(By.id("acceptTerms")).click();
            browser.findElement(By.id("acceptPrivacy")).click();
            browser.findElement(By.id("tillit-sign-up-new")).click();
            Browser.waitFor(browser, By.id("signed-in"));
            userId = DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText();
        }
        assertEquals(List.of(), apple.clientSecretProblems(), "every client secret verified with the operator's key");
        assertEquals(AppleStandIn.TEAM_ID, apple.clientSecrets().get(0).get("iss"));

        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        assertEquals("Märta", user.getFirstName());
        assertEquals("Lind", user.getLastName());
        assertEquals(person.email(), user.getEmail());
        assertTrue(user.isEmailVerified(), "Apple verified the relay address");
        assertTrue(user.getAttributes().containsKey("terms_accepted"));
        List<FederatedIdentityRepresentation> links = realm.admin().users().get(userId).getFederatedIdentity();
        assertEquals(person.sub(), links.get(0).getUserId());

        // Apple sends the name only once; the next sign-in goes straight in and the name stays.
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            WebDriver again = Browser.get();
            again.get(client.authorizationUrl("en"));
            Browser.waitFor(again, By.id("social-apple")).click();
            Browser.waitFor(again, By.id("signed-in"));
            assertEquals(userId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        assertEquals("Märta", realm.admin().users().get(userId).toRepresentation().getFirstName());
    }

    /** Through Apple's form_post back to Keycloak, over HTTP; returns the page Keycloak answers with. */
    private String signInOverHttp(DemoWebClient client) throws Exception {
        HttpLoginFlow flow = new HttpLoginFlow();
        flow.get(client.authorizationUrl("en")).follow("/broker/apple/login");
        assertTrue(flow.page().contains("apple-form"), flow.page());
        return flow.submitHidden("apple-form").page();
    }

    @ParameterizedTest
    @EnumSource(value = Forge.class, names = {"WRONG_AUDIENCE", "EXPIRED", "ALG_NONE", "UNKNOWN_KID", "OTHER_SIGNER", "WRONG_ISSUER", "WRONG_NONCE"})
    void aWrongIdTokenIsRefused(Forge forge) throws Exception {
        apple.next(person(relay(), true), forge);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            String page = signInOverHttp(client);
            assertTrue(page.contains("We could not verify your sign-in with Apple"), forge + ": " + page);
            assertFalse(page.contains("tillit-first-login"), forge + " reached the first-sign-in page");
        }
        EventRepresentation event = events.await("broker_login_rejected");
        assertEquals("apple", TillitEventLog.detail(event, "identity_provider"));
        assertEquals(forge == Forge.WRONG_NONCE ? "nonce_mismatch" : "id_token_invalid", TillitEventLog.detail(event, "reason"));
    }

    @Test
    void anotherAccountsEmailNeverTakesItOver() throws Exception {
        String email = TestUsers.freshEmail("apple-owner");
        String ownerId = TestUsers.create(realm, email, null, "Tillit-Owner1!");

        // Apple vouches for the address: the choice screen, never a silent link; "sign up" says to link instead.
        apple.next(person(email, true), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow();
            flow.get(client.authorizationUrl("en")).follow("/broker/apple/login");
            flow.submitHidden("apple-form");
            assertTrue(flow.page().contains("tillit-first-login-signup"), flow.page());
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("An account already uses the email address that Apple gave us"), flow.page());
        }
        assertEquals("broker_email_taken", TillitEventLog.detail(events.await("broker_email_taken"), "tillit_event"));
        assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty());

        // An unverified claim to the address: sign-up makes a new account without it; the owner is untouched.
        apple.next(person(email, false), Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow();
            flow.get(client.authorizationUrl("en")).follow("/broker/apple/login");
            flow.submitHidden("apple-form");
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("signed-in"), flow.page());
        }
        EventRepresentation signedUp = events.await("broker_signed_up");
        UserRepresentation newcomer = realm.admin().users().get(signedUp.getUserId()).toRepresentation();
        assertFalse(newcomer.getId().equals(ownerId));
        assertNull(newcomer.getEmail(), "an unverified address is not taken");
        assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty());
        assertEquals(email, realm.admin().users().get(ownerId).toRepresentation().getEmail());
    }
}
