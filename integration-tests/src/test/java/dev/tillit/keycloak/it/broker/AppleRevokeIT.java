package dev.tillit.keycloak.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tillit.keycloak.it.support.AppleStandIn;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;
import dev.tillit.keycloak.it.support.AppleStandIn.Person;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * App Store rule: deleting an account revokes its Sign in with Apple grant. The refresh token Apple
 * issued at sign-up is kept sealed (never in the clear through the admin API or the broker's token
 * endpoint) and sent to Apple's {@code /auth/revoke} with a valid client-secret JWT once the account
 * is deleted; if Apple fails, the deletion still stands and the failure is an event.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AppleRevokeIT {

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

    @BeforeEach
    void pointAtStandIn() {
        asImported = AppleStandIn.pointAt(realm, Map.of("revokeUrl", AppleStandIn.ISSUER + "/auth/revoke"));
        apple.revokeAnswers(200);
        events = new TillitEventLog(realm);
    }

    @AfterEach
    void restore() {
        AppleStandIn.restore(realm, asImported);
        apple.revokeAnswers(200);
    }

    /** Signs up with Apple over HTTP; returns the new account's id and its tokens. */
    private String[] signUp(Person person) throws Exception {
        apple.next(person, Forge.NONE);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow();
            flow.get(client.authorizationUrl("en")).follow("/broker/apple/login");
            flow.submitHidden("apple-form");
            flow.submit("tillit-first-login-signup", "choice=signup&acceptTerms=on&acceptPrivacy", "on");
            assertTrue(flow.page().contains("signed-in"), flow.page());
            String accessToken = client.awaitTokens().get("access_token").asText();
            return new String[] {DemoWebClient.claims(accessToken).get("sub").asText(), accessToken};
        }
    }

    private static Person person() {
        return new Person("002" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + ".revoke",
                UUID.randomUUID().toString().substring(0, 10) + "@privaterelay.appleid.com", true, "Rut", "Ek");
    }

    private List<Map<String, String>> revocationsOf(String refreshToken) {
        return apple.revocations().stream().filter(r -> refreshToken.equals(r.get("token"))).toList();
    }

    @Test
    void deletingTheAccountRevokesTheAppleGrantWithAValidClientSecret() throws Exception {
        Person person = person();
        String userId = signUp(person)[0];
        String refreshToken = apple.refreshTokenOf(person.sub());
        assertNotNull(refreshToken);
        assertTrue(revocationsOf(refreshToken).isEmpty());

        try (Response deleted = realm.admin().users().delete(userId)) {
            assertEquals(204, deleted.getStatus());
        }
        List<Map<String, String>> revoked = revocationsOf(refreshToken);
        assertEquals(1, revoked.size(), "one revoke request carrying the refresh token Apple issued: " + apple.revocations());
        assertEquals(null, revoked.get(0).get("problem"), "the client-secret JWT verifies with the operator's key");
        assertEquals(AppleStandIn.SERVICES_ID, revoked.get(0).get("client_id"));
        assertEquals("refresh_token", revoked.get(0).get("token_type_hint"));
        EventRepresentation event = events.await("apple_grant_revoked");
        assertEquals("REMOVE_FEDERATED_IDENTITY", event.getType());
        assertEquals(userId, event.getUserId());
        assertEquals("apple", TillitEventLog.detail(event, "identity_provider"));
    }

    @Test
    void aFailingRevokeDoesNotStopTheDeletionAndIsRecorded() throws Exception {
        Person person = person();
        String userId = signUp(person)[0];
        String refreshToken = apple.refreshTokenOf(person.sub());
        apple.revokeAnswers(503);
        try (Response deleted = realm.admin().users().delete(userId)) {
            assertEquals(204, deleted.getStatus());
        }
        assertThrows(jakarta.ws.rs.NotFoundException.class, () -> realm.admin().users().get(userId).toRepresentation(), "the account is gone");
        assertEquals(1, revocationsOf(refreshToken).size());
        EventRepresentation event = events.await("apple_revoke_failed");
        assertEquals("REMOVE_FEDERATED_IDENTITY_ERROR", event.getType());
        assertEquals(userId, event.getUserId());
        assertEquals("HTTP 503", TillitEventLog.detail(event, "reason"));
    }

    /** The stored token is neither in the admin API's view of the link nor handed out by the broker's token endpoint. */
    @Test
    void theKeptTokenIsNotHandedOut() throws Exception {
        Person person = person();
        String[] signedUp = signUp(person);
        String refreshToken = apple.refreshTokenOf(person.sub());
        String links = realm.admin().users().get(signedUp[0]).getFederatedIdentity().toString();
        assertFalse(links.contains(refreshToken), links);
        HttpResponse<String> broker = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/broker/apple/token")).header("Authorization", "Bearer " + signedUp[1]).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(broker.body().contains(refreshToken), broker.statusCode() + " " + broker.body());
        assertTrue(broker.statusCode() >= 400, broker.statusCode() + " " + broker.body());
        try (Response deleted = realm.admin().users().delete(signedUp[0])) {
            assertEquals(204, deleted.getStatus());
        }
    }

    /** The account console's "Delete account" (Keycloak's delete_account action) revokes the grant too. */
    @Test
    void deletingTheAccountFromTheAccountConsoleRevokesTheGrant() throws Exception {
        Person person = person();
        String userId = signUp(person)[0];
        RequiredActionProviderRepresentation action = realm.admin().flows().getRequiredAction("delete_account");
        boolean wasEnabled = action.isEnabled();
        try {
            action.setEnabled(true);
            realm.admin().flows().updateRequiredAction("delete_account", action);
            String account = realm.admin().clients().findByClientId("account").get(0).getId();
            realm.admin().users().get(userId).roles().clientLevel(account)
                    .add(List.of(realm.admin().clients().get(account).roles().get("delete-account").toRepresentation()));

            apple.next(person, Forge.NONE);
            try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
                HttpLoginFlow flow = new HttpLoginFlow();
                flow.get(client.authorizationUrl("en") + "&kc_action=delete_account").follow("/broker/apple/login");
                flow.submitHidden("apple-form");
                assertTrue(flow.page().contains("kc-deleteaccount-form"), flow.page());
                // Keycloak's form names its action before its id, which HttpLoginFlow's form lookup does not read.
                java.util.regex.Matcher form = java.util.regex.Pattern.compile("<form action=\"([^\"]+)\"[^>]*id=\"kc-deleteaccount-form\"")
                        .matcher(flow.page());
                assertTrue(form.find(), flow.page());
                flow.postFormTo(form.group(1).replace("&amp;", "&"), Map.of());
            }
            assertThrows(jakarta.ws.rs.NotFoundException.class, () -> realm.admin().users().get(userId).toRepresentation(), "the account is gone");
            // The token kept is the one from the latest sign-in.
            List<Map<String, String>> revoked = revocationsOf(apple.refreshTokenOf(person.sub()));
            assertEquals(1, revoked.size(), apple.revocations().toString());
            assertEquals(null, revoked.get(0).get("problem"));
            assertEquals(userId, events.await("apple_grant_revoked").getUserId());
        } finally {
            action.setEnabled(wasEnabled);
            realm.admin().flows().updateRequiredAction("delete_account", action);
        }
    }
}
