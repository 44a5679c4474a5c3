package dev.tillit.keycloak.it.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The claims an exchange's services read, as OpenID Connect names them: scope {@code phone} gives
 * {@code phone_number} (E.164 string) and {@code phone_number_verified} (boolean) from Tillit's
 * attributes, and {@code withdrawal_locked_until} comes from a realm default client scope, so a
 * client added later carries it without a mapper of its own.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class StandardClaimsIT {

    private static final String PASSWORD = "Claims-Passw0rd!";

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @Test
    void scopePhoneGivesTheStandardPhoneClaims() throws Exception {
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, null, phone, PASSWORD);

        JsonNode tokens = grant("demo-app", "openid phone", phone);
        for (String token : List.of("access_token", "id_token")) {
            JsonNode claims = DemoWebClient.claims(tokens.get(token).asText());
            assertEquals(phone, claims.get("phone_number").asText(), token);
            assertTrue(claims.get("phone_number").isTextual(), token + ": phone_number is a string");
            assertTrue(claims.get("phone_number_verified").isBoolean(), token + ": phone_number_verified is a JSON boolean");
            assertTrue(claims.get("phone_number_verified").booleanValue(), token);
        }
        JsonNode userinfo = userinfo(tokens.get("access_token").asText());
        assertEquals(phone, userinfo.get("phone_number").asText());
        assertTrue(userinfo.get("phone_number_verified").isBoolean() && userinfo.get("phone_number_verified").booleanValue());
    }

    @Test
    void phoneClaimsOnlyWithScopePhone() throws Exception {
        String phone = TestUsers.freshPhone();
        TestUsers.create(realm, null, phone, PASSWORD);

        JsonNode claims = DemoWebClient.claims(grant("demo-app", "openid", phone).get("access_token").asText());
        assertFalse(claims.has("phone_number"), "phone is an optional scope: no number unless asked for");
        assertFalse(claims.has("phone_number_verified"));
    }

    @Test
    void anUnverifiedNumberSaysSo() throws Exception {
        String phone = TestUsers.freshPhone();
        String email = TestUsers.freshEmail("unverified-phone");
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.getAttributes().put("phone_number_verified", List.of("false"));
        realm.admin().users().get(id).update(user);

        JsonNode claims = DemoWebClient.claims(grant("demo-app", "openid phone", email).get("access_token").asText());
        assertEquals(phone, claims.get("phone_number").asText());
        assertTrue(claims.get("phone_number_verified").isBoolean());
        assertFalse(claims.get("phone_number_verified").booleanValue());
    }

    @Test
    void aNewClientWithoutMappersCarriesTheWithdrawalLock() throws Exception {
        // A client an operator adds after the realm exists, with no protocol mapper of its own.
        String clientId = "claims-probe-" + ThreadLocalRandom.current().nextInt(1_000_000);
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setProtocol("openid-connect");
        String clientUuid;
        try (Response response = realm.admin().clients().create(client)) {
            assertEquals(201, response.getStatus());
            String location = response.getLocation().getPath();
            clientUuid = location.substring(location.lastIndexOf('/') + 1);
        }
        realm.cleanup().add(r -> r.clients().get(clientUuid).remove());
        List<?> ownMappers = realm.admin().clients().get(clientUuid).toRepresentation().getProtocolMappers();
        assertTrue(ownMappers == null || ownMappers.isEmpty(), "the client has no mapper of its own: " + ownMappers);

        String email = TestUsers.freshEmail("lock-claim");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        assertFalse(DemoWebClient.claims(grant(clientId, "openid", email).get("access_token").asText())
                .has("withdrawal_locked_until"), "no lock, no claim");

        long until = Instant.now().getEpochSecond() + 3600;
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        if (user.getAttributes() == null) {
            user.setAttributes(new HashMap<>());
        }
        user.getAttributes().put("withdrawal_locked_until", List.of(String.valueOf(until)));
        realm.admin().users().get(id).update(user);

        JsonNode tokens = grant(clientId, "openid", email);
        JsonNode claim = DemoWebClient.claims(tokens.get("access_token").asText()).get("withdrawal_locked_until");
        assertTrue(claim != null && claim.isIntegralNumber(), "withdrawal_locked_until is a JSON number: " + claim);
        assertEquals(until, claim.asLong());
        assertEquals(until, userinfo(tokens.get("access_token").asText()).get("withdrawal_locked_until").asLong());
        // Not in the ID token: it is for the exchange's services (access token, userinfo, introspection).
        assertFalse(DemoWebClient.claims(tokens.get("id_token").asText()).has("withdrawal_locked_until"));
    }

    private JsonNode grant(String clientId, String scope, String username) throws Exception {
        HttpResponse<String> response = TestUsers.passwordGrant(realm, clientId, scope, username, PASSWORD);
        assertEquals(200, response.statusCode(), response.body());
        return TestUsers.json(response);
    }

    private JsonNode userinfo(String accessToken) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return TestUsers.json(response);
    }
}
