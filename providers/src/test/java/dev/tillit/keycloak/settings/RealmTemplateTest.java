package dev.tillit.keycloak.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

/**
 * The production realm template is the demo realm without what must never reach production:
 * the demo user (published password), the demo clients (localhost redirects) and the console
 * SMS gateway. The reviewers' page client (relative to Keycloak's own address) is no demo part: it stays.
 * Regenerate it with {@code realm-config/make-template.sh}.
 */
class RealmTemplateTest {

    private static final Path REALMS = Path.of(System.getProperty("tillit.themes", "../themes")).resolveSibling("realm-config");
    private static final String TAB = "org.keycloak.services.ui.extend.UiTabProvider";
    private static final String REVIEW_CLIENT = "tillit-kyc-review";

    private static JsonNode read(String name) throws IOException {
        return new ObjectMapper().readTree(Files.readString(REALMS.resolve(name)));
    }

    @Test
    void theTemplateIsTheDemoRealmWithoutItsDemoParts() throws IOException {
        ObjectNode expected = (ObjectNode) read("tillit-realm.json");
        expected.remove("users");
        com.fasterxml.jackson.databind.node.ArrayNode clients = (com.fasterxml.jackson.databind.node.ArrayNode) expected.path("clients");
        for (int i = clients.size() - 1; i >= 0; i--) {
            if (!REVIEW_CLIENT.equals(clients.get(i).path("clientId").asText())) {
                clients.remove(i);
            }
        }
        ((ObjectNode) expected.path("components").path(TAB).path(0).path("config")).remove("smsGateway");
        assertEquals(expected, read("tillit-realm-template.json"),
                "realm-config/tillit-realm-template.json is out of date: run realm-config/make-template.sh");
    }

    @Test
    void flowDescriptionsFitKeycloaksColumn() throws IOException {
        // AUTHENTICATION_FLOW.DESCRIPTION is 255 characters: a longer one fails the whole realm import
        // with nothing more than "Database operation failed".
        for (JsonNode flow : read("tillit-realm.json").path("authenticationFlows")) {
            assertTrue(flow.path("description").asText().length() <= 255, flow.path("alias").asText());
        }
    }

    @Test
    void theDemoRealmCarriesUserProfileJsonAsItIs() throws IOException {
        String embedded = read("tillit-realm.json").path("components").path("org.keycloak.userprofile.UserProfileProvider")
                .path(0).path("config").path("kc.user.profile.config").path(0).asText();
        assertEquals(read("user-profile.json"), new ObjectMapper().readTree(embedded),
                "realm-config/user-profile.json changed: run realm-config/make-template.sh");
    }

    @Test
    void theTemplateHasNoUsersNoSecretsAndNoDevelopmentGateway() throws IOException {
        JsonNode template = read("tillit-realm-template.json");
        assertFalse(template.has("users"));
        List<String> clientIds = new java.util.ArrayList<>();
        template.path("clients").forEach(c -> clientIds.add(c.path("clientId").asText()));
        assertEquals(List.of(REVIEW_CLIENT), clientIds, "only the reviewers' page client, no demo client");
        assertFalse(template.path("clients").toString().contains("localhost"), "no localhost redirect in production");
        String text = template.toString();
        assertFalse(text.contains("Tillit-Demo1!"), "the demo password");
        assertFalse(text.contains("\"secret\""), "no client secrets");
        assertFalse(template.path("components").path(TAB).path(0).path("config").has("smsGateway"));
        assertTrue(template.path("eventsListeners").toString().contains("tillit-withdrawal-lock"),
                "the withdrawal-lock listener is on in the template (Keycloak cannot enable it from the JAR)");

        // What production refuses on import must not be in the template.
        ComponentModel model = new ComponentModel();
        template.path("components").path(TAB).path(0).path("config").fields()
                .forEachRemaining(e -> model.put(e.getKey(), e.getValue().path(0).asText()));
        assertEquals(List.of(), TillitSettingsTabFactory.problems(model,
                new TillitSetting.Context(false, java.util.Set.of("console", "http", "twilio")), List.of()));
    }
}
