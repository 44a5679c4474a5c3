package dev.tillit.keycloak.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.mfa.NewDeviceAlertFactory;
import dev.tillit.keycloak.mfa.TrustedDeviceCondition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rule for every door, as shipped (demo realm and production template): every identity provider
 * runs the post login flow, which asks the account's second factor with the browser's alternatives,
 * honours trusted devices and ends with the new-device alert; "Link existing account" asks every
 * factor the browser knows.
 */
class BrokerFlowsTest {

    static final String POST_BROKER = "tillit post broker login";
    private static final Path REALMS = Path.of(System.getProperty("tillit.themes", "../themes")).resolveSibling("realm-config");

    private static JsonNode read(String name) throws IOException {
        return new ObjectMapper().readTree(Files.readString(REALMS.resolve(name)));
    }

    private static JsonNode flow(JsonNode realm, String alias) {
        for (JsonNode flow : realm.path("authenticationFlows")) {
            if (alias.equals(flow.path("alias").asText())) {
                return flow;
            }
        }
        throw new AssertionError("no flow " + alias);
    }

    /** The authenticators of a flow's executions with {@code requirement}, in priority order. */
    private static List<String> authenticators(JsonNode flow, String requirement) {
        List<JsonNode> executions = new ArrayList<>();
        flow.path("authenticationExecutions").forEach(executions::add);
        executions.sort((a, b) -> Integer.compare(a.path("priority").asInt(), b.path("priority").asInt()));
        return executions.stream().filter(e -> requirement.equals(e.path("requirement").asText()))
                .map(e -> e.has("flowAlias") ? "flow:" + e.path("flowAlias").asText() : e.path("authenticator").asText()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tillit-realm.json", "tillit-realm-template.json"})
    void everyProviderRunsThePostLoginFlow(String file) throws IOException {
        JsonNode realm = read(file);
        assertTrue(realm.path("identityProviders").size() >= 3, "Google, Apple, Telegram");
        for (JsonNode idp : realm.path("identityProviders")) {
            assertEquals(POST_BROKER, idp.path("postBrokerLoginFlowAlias").asText(), idp.path("alias").asText());
        }
        JsonNode post = flow(realm, POST_BROKER);
        assertTrue(post.path("topLevel").asBoolean());
        assertEquals(List.of("flow:tillit post broker login second factor"), authenticators(post, "CONDITIONAL"));
        assertEquals(List.of("tillit-trust-device-offer", NewDeviceAlertFactory.ID), authenticators(post, "REQUIRED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tillit-realm.json", "tillit-realm-template.json"})
    void authenticatorIdsFitKeycloaksColumn(String file) throws IOException {
        // AUTHENTICATION_EXECUTION.AUTHENTICATOR is 36 characters: a longer id fails the whole realm import
        // with nothing more than "Database operation failed".
        for (JsonNode flow : read(file).path("authenticationFlows")) {
            for (JsonNode execution : flow.path("authenticationExecutions")) {
                assertTrue(execution.path("authenticator").asText().length() <= 36, execution.path("authenticator").asText());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tillit-realm.json", "tillit-realm-template.json"})
    void theFactorAfterAProviderAndAtLinkHasTheBrowsersAlternatives(String file) throws IOException {
        JsonNode realm = read(file);
        List<String> browser = authenticators(flow(realm, "tillit browser second factor"), "ALTERNATIVE");
        assertTrue(browser.containsAll(List.of("auth-otp-form", "webauthn-authenticator-passwordless", "webauthn-authenticator",
                "auth-recovery-authn-code-form")), browser.toString());

        JsonNode post = flow(realm, "tillit post broker login second factor");
        assertEquals(browser, authenticators(post, "ALTERNATIVE"));
        assertEquals(List.of("conditional-user-configured", FirstLoginFactories.FACTOR_NOT_PASSED_AT_LINK, TrustedDeviceCondition.ID),
                authenticators(post, "REQUIRED"));

        JsonNode link = flow(realm, "tillit first broker login second factor");
        assertEquals(browser, authenticators(link, "ALTERNATIVE"));
        // Linking adds a way in: asked even on a trusted device.
        assertEquals(List.of("conditional-user-configured"), authenticators(link, "REQUIRED"));
        assertFalse(authenticators(flow(realm, "tillit first broker login link"), "REQUIRED").isEmpty());
    }
}
