package dev.tillit.keycloak.it.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The demo realm's user profile: the attributes DESIGN.md marks admin-only cannot be changed by
 * the user through the account REST API, while ordinary profile fields still can.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class AdminOnlyAttributesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @AfterEach
    void restoreDemoUser() {
        UserRepresentation demo = demoUser();
        demo.setFirstName("Demo");
        realm.admin().users().get(demo.getId()).update(demo);
    }

    @ParameterizedTest
    @CsvSource({
            "phone_number_verified, false",
            "phone_number, +46709999999",
            "withdrawal_locked_until, 0",
            "withdrawal_locked_until_utc, 2020-01-01T00:00",
            "kyc_level, 2",
            "kyc_status, approved",
            "terms_accepted, v9@1700000000",
            "privacy_accepted, v9@1700000000"
    })
    void userCannotChangeAnAdminOnlyAttribute(String attribute, String value) throws Exception {
        Map<String, List<String>> before = demoUser().getAttributes();
        String token = userToken();
        ObjectNode me = (ObjectNode) getAccount(token);
        ((ObjectNode) me.withObject("/attributes")).putArray(attribute).add(value);

        HttpResponse<String> response = postAccount(token, me);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("read-only") || response.body().contains("readOnly"), response.body());
        assertEquals(before.get(attribute), demoUser().getAttributes().get(attribute), attribute + " changed");
    }

    @Test
    void userCannotInventAttributesOutsideTheProfile() throws Exception {
        String token = userToken();
        ObjectNode me = (ObjectNode) getAccount(token);
        ((ObjectNode) me.withObject("/attributes")).putArray("withdrawal_whitelist").add("bc1qattacker");

        postAccount(token, me);

        assertNull(demoUser().getAttributes().get("withdrawal_whitelist"));
    }

    @Test
    void userCanStillEditTheirOwnName() throws Exception {
        // The control for the tests above: the same request shape does change an editable field.
        String token = userToken();
        ObjectNode me = (ObjectNode) getAccount(token);
        me.put("firstName", "Dema");

        HttpResponse<String> response = postAccount(token, me);

        assertEquals(204, response.statusCode(), response.body());
        assertEquals("Dema", demoUser().getFirstName());
        assertFalse(demoUser().getAttributes().get("phone_number_verified").isEmpty());
    }

    private UserRepresentation demoUser() {
        return realm.admin().users().search("demo", true).get(0);
    }

    private String userToken() throws Exception {
        String form = "grant_type=password&client_id=demo-app&scope=openid"
                + "&username=demo&password=" + URLEncoder.encode("Tillit-Demo1!", StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private JsonNode getAccount(String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/account/"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> postAccount(String token, JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/account/"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
