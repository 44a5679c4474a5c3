package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The cases behind Keycloak's first-broker-login advisories, against real OpenID Connect: a second
 * Keycloak realm plays a Google-like provider (Keycloak's own Google provider has Google's endpoints
 * built in, so the demo realm's {@code google} cannot be pointed elsewhere; this provider is
 * Keycloak's generic OIDC broker with the same settings: trust email, sync mode IMPORT, our
 * first-sign-in flow), and the Apple stand-in plays a second provider claiming the same address.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class BrokerEmailIT {

    private static final String STANDIN_REALM = "tillit-oidc-standin";
    private static final String ALIAS = "oidc-standin";
    private static final String CLIENT_SECRET = "standin-client-secret-5d1f";
    private static final String PASSWORD = "Standin-Pass1!";
    private static final String BASE = "http://localhost:8080/realms/" + STANDIN_REALM + "/protocol/openid-connect";
    private static AppleStandIn apple;

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectAdminClient
    Keycloak admin;

    private TillitEventLog events;
    private IdentityProviderRepresentation appleAsImported;

    @BeforeAll
    static void appleStandIn() {
        apple = new AppleStandIn();
        TillitServerConfig.writeVaultEntry(AppleStandIn.VAULT_KEY, apple.operatorKeyPem());
    }

    @AfterAll
    static void stop() {
        apple.close();
    }

    @BeforeEach
    void providers() {
        if (admin.realms().findAll().stream().noneMatch(r -> r.getRealm().equals(STANDIN_REALM))) {
            RealmRepresentation standIn = new RealmRepresentation();
            standIn.setRealm(STANDIN_REALM);
            standIn.setEnabled(true);
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId("tillit-broker");
            client.setSecret(CLIENT_SECRET);
            client.setPublicClient(false);
            client.setStandardFlowEnabled(true);
            client.setRedirectUris(List.of("http://localhost:8080/realms/tillit/broker/" + ALIAS + "/endpoint"));
            standIn.setClients(List.of(client));
            admin.realms().create(standIn);
        }
        if (realm.admin().identityProviders().findAll().stream().noneMatch(i -> i.getAlias().equals(ALIAS))) {
            IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
            idp.setAlias(ALIAS);
            idp.setDisplayName("Google");
            idp.setProviderId("oidc");
            idp.setEnabled(true);
            idp.setTrustEmail(true);
            idp.setFirstBrokerLoginFlowAlias("tillit first broker login");
            Map<String, String> config = new HashMap<>();
            config.put("clientId", "tillit-broker");
            config.put("clientSecret", CLIENT_SECRET);
            config.put("clientAuthMethod", "client_secret_post");
            config.put("authorizationUrl", BASE + "/auth");
            config.put("tokenUrl", BASE + "/token");
            config.put("userInfoUrl", BASE + "/userinfo");
            config.put("jwksUrl", BASE + "/certs");
            config.put("useJwksUrl", "true");
            config.put("validateSignature", "true");
            config.put("issuer", "http://localhost:8080/realms/" + STANDIN_REALM);
            config.put("defaultScope", "openid email profile");
            config.put("syncMode", "IMPORT");
            config.put("pkceEnabled", "true");
            config.put("pkceMethod", "S256");
            idp.setConfig(config);
            try (Response r = realm.admin().identityProviders().create(idp)) {
                assertEquals(201, r.getStatus(), r.readEntity(String.class));
            }
        }
        appleAsImported = realm.admin().identityProviders().get("apple").toRepresentation();
        IdentityProviderRepresentation appleIdp = realm.admin().identityProviders().get("apple").toRepresentation();
        appleIdp.getConfig().putAll(Map.of("clientId", AppleStandIn.SERVICES_ID, "teamId", AppleStandIn.TEAM_ID,
                "keyId", AppleStandIn.KEY_ID, "clientSecret", "${vault." + AppleStandIn.VAULT_KEY + "}",
                "authorizationUrl", AppleStandIn.ISSUER + "/auth/authorize", "tokenUrl", AppleStandIn.ISSUER + "/auth/token",
                "jwksUrl", AppleStandIn.ISSUER + "/auth/keys", "issuer", AppleStandIn.ISSUER));
        realm.admin().identityProviders().get("apple").update(appleIdp);
        events = new TillitEventLog(realm);
    }

    /** The suite's realm as it was: no stand-in provider on its sign-in page, Apple's own endpoints. */
    @AfterEach
    void removeStandIns() {
        realm.admin().identityProviders().get(ALIAS).remove();
        realm.admin().identityProviders().get("apple").update(appleAsImported);
        admin.realm(STANDIN_REALM).remove();
    }

    /** A person at the stand-in provider; returns their id there. */
    private String providerUser(String email, boolean verified) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("p" + UUID.randomUUID().toString().substring(0, 12));
        user.setEmail(email);
        user.setEmailVerified(verified);
        user.setFirstName("Greta");
        user.setLastName("Berg");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (Response r = admin.realm(STANDIN_REALM).users().create(user)) {
            assertEquals(201, r.getStatus());
            String path = r.getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** Sign-in at the stand-in provider, back to Tillit; the page Tillit answers with. */
    private HttpLoginFlow viaProvider(DemoWebClient client, String providerUsername) throws Exception {
        HttpLoginFlow flow = new HttpLoginFlow();
        flow.get(client.authorizationUrl("en")).follow("/broker/" + ALIAS + "/login");
        return flow.submit("kc-form-login", "username=" + providerUsername + "&password", PASSWORD);
    }

    private String usernameAt(String providerUserId) {
        return admin.realm(STANDIN_REALM).users().get(providerUserId).toRepresentation().getUsername();
    }

    private static void signUp(HttpLoginFlow flow) throws Exception {
        flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
    }

    @Test
    void anUnverifiedProviderEmailNeitherReachesNorRevealsTheAccountThatHoldsIt() throws Exception {
        String email = TestUsers.freshEmail("owner");
        String ownerId = TestUsers.create(realm, email, null, "Tillit-Owner1!");
        String claimant = providerUser(email, false);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = viaProvider(client, usernameAt(claimant));
            assertTrue(flow.page().contains("tillit-first-login-signup"), "the choice, never a silent link: " + flow.page());
            signUp(flow);
            assertTrue(flow.page().contains("signed-in"), flow.page());
        }
        UserRepresentation newcomer = realm.admin().users().get(events.await("broker_signed_up").getUserId()).toRepresentation();
        assertFalse(newcomer.getId().equals(ownerId));
        assertNull(newcomer.getEmail(), "the unverified address was not used");
        assertTrue(realm.admin().users().get(ownerId).getFederatedIdentity().isEmpty());
        assertTrue(events.all("broker_email_taken").isEmpty(), "nothing told the claimant that the address has an account");
    }

    @Test
    void twoProvidersClaimingOneEmailGetTheChoiceNotTheAccount() throws Exception {
        String email = TestUsers.freshEmail("twice");
        String first = providerUser(email, true);
        String accountId;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = viaProvider(client, usernameAt(first));
            signUp(flow);
            assertTrue(flow.page().contains("signed-in"), flow.page());
            accountId = DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText();
        }
        UserRepresentation account = realm.admin().users().get(accountId).toRepresentation();
        assertEquals(email, account.getEmail());
        assertTrue(account.isEmailVerified());

        // Apple vouches for the same address for someone else's Apple id: no link, the choice page;
        // "sign up" is refused with "link instead" (they proved the address at Apple).
        apple.next(new AppleStandIn.Person("001" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), email, true,
                "Eve", "Other"), AppleStandIn.Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow();
            flow.get(client.authorizationUrl("en")).follow("/broker/apple/login");
            flow.submitHidden("apple-form");
            assertTrue(flow.page().contains("tillit-first-login-signup"), flow.page());
            signUp(flow);
            assertTrue(flow.page().contains("An account already uses the email address that Apple gave us"), flow.page());
        }
        events.await("broker_email_taken");
        assertEquals(List.of(ALIAS), realm.admin().users().get(accountId).getFederatedIdentity().stream()
                .map(f -> f.getIdentityProvider()).toList());
    }

    @Test
    void anEmailChangedAtTheProviderAfterLinkingChangesNothingHere() throws Exception {
        String email = TestUsers.freshEmail("before");
        String person = providerUser(email, true);
        String accountId;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = viaProvider(client, usernameAt(person));
            signUp(flow);
            accountId = DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText();
        }
        // Someone with access to the provider account points it at another customer's address.
        String victimEmail = TestUsers.freshEmail("victim");
        String victimId = TestUsers.create(realm, victimEmail, null, "Tillit-Victim1!");
        UserRepresentation atProvider = admin.realm(STANDIN_REALM).users().get(person).toRepresentation();
        atProvider.setEmail(victimEmail);
        atProvider.setEmailVerified(true);
        admin.realm(STANDIN_REALM).users().get(person).update(atProvider);

        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = viaProvider(client, usernameAt(person));
            assertTrue(flow.page().contains("signed-in"), flow.page());
            assertEquals(accountId, DemoWebClient.claims(client.awaitTokens().get("access_token").asText()).get("sub").asText());
        }
        assertEquals(email, realm.admin().users().get(accountId).toRepresentation().getEmail(), "sync mode IMPORT: unchanged");
        assertTrue(realm.admin().users().get(victimId).getFederatedIdentity().isEmpty());
    }
}
