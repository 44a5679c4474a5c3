package dev.tillit.keycloak.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.mfa.NewDeviceAlertFactory;
import dev.tillit.keycloak.mfa.PasskeySecondFactor;
import dev.tillit.keycloak.mfa.PasskeyVerifiedCondition;
import dev.tillit.keycloak.mfa.SecondFactorAim;
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
    private static final String LOA_CONDITION = "conditional-level-of-authentication";
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
        assertEquals(List.of("flow:tillit post broker login first factor", "flow:tillit post broker login second factor"),
                authenticators(post, "CONDITIONAL"));
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
            // AUTHENTICATION_FLOW.DESCRIPTION is 255 characters: a longer one fails the import the same way.
            assertTrue(flow.path("description").asText().length() <= 255, flow.path("alias").asText());
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
        assertEquals(List.of(LOA_CONDITION, "conditional-user-configured", FirstLoginFactories.FACTOR_NOT_PASSED_AT_LINK,
                TrustedDeviceCondition.ID), authenticators(post, "REQUIRED"));

        JsonNode link = flow(realm, "tillit first broker login second factor");
        assertEquals(browser, authenticators(link, "ALTERNATIVE"));
        // Linking adds a way in: asked even on a trusted device.
        assertEquals(List.of("conditional-user-configured"), authenticators(link, "REQUIRED"));
        assertFalse(authenticators(flow(realm, "tillit first broker login link"), "REQUIRED").isEmpty());
    }

    /**
     * The same bookkeeping decides the level at every door of the flows: Keycloak's level-of-authentication condition
     * (1 for the first factor, 2 for two) in front of the steps that prove it — the password, a provider's sign-in,
     * the second factor after either — and each factor step carries its amr value. A verified passkey records level 2
     * from its step: Keycloak allows one condition per level in a top-level flow (a second fails SSO sign-ins with
     * "Duplicate key").
     */
    @ParameterizedTest
    @ValueSource(strings = {"tillit-realm.json", "tillit-realm-template.json"})
    void everyDoorRecordsItsLevelThroughKeycloaksCondition(String file) throws IOException {
        JsonNode realm = read(file);
        assertEquals("{\"1\":1,\"2\":2}", realm.path("attributes").path("acr.loa.map").asText());
        Map<String, Integer> expected = Map.of(
                "tillit browser first factor", 1,
                "tillit browser second factor", 2,
                "tillit post broker login first factor", 1,
                "tillit post broker login second factor", 2);
        expected.forEach((alias, level) -> assertEquals(level, loaLevel(realm, flow(realm, alias)), alias));
        assertEquals(List.of(PasskeyVerifiedCondition.ID, PasskeySecondFactor.ID),
                authenticators(flow(realm, "tillit browser passkey"), "REQUIRED"));
        // The SSO cookie reads the browser flow's levels (their max ages) into a map keyed by level.
        for (String top : List.of(realm.path("browserFlow").asText(), POST_BROKER)) {
            List<Integer> levels = new ArrayList<>();
            loaLevels(realm, flow(realm, top), levels);
            assertEquals(levels.stream().distinct().toList(), levels, top + ": one condition per level");
        }
        assertEquals(List.of(LOA_CONDITION, SecondFactorAim.ID),
                authenticators(flow(realm, "tillit post broker login first factor"), "REQUIRED"));
        for (JsonNode execution : flow(realm, "tillit post broker login second factor").path("authenticationExecutions")) {
            if ("ALTERNATIVE".equals(execution.path("requirement").asText())) {
                assertTrue(execution.path("authenticatorConfig").asText().startsWith("tillit amr "), execution.toString());
            }
        }
    }

    /** The levels of every {@code conditional-level-of-authentication} in {@code flow} and its sub-flows. */
    private static void loaLevels(JsonNode realm, JsonNode flow, List<Integer> levels) {
        Integer level = loaLevel(realm, flow);
        if (level != null) {
            levels.add(level);
        }
        for (JsonNode execution : flow.path("authenticationExecutions")) {
            if (execution.has("flowAlias")) {
                loaLevels(realm, flow(realm, execution.path("flowAlias").asText()), levels);
            }
        }
    }

    /** The level of the sub-flow's {@code conditional-level-of-authentication}, or null when it has none. */
    private static Integer loaLevel(JsonNode realm, JsonNode flow) {
        for (JsonNode execution : flow.path("authenticationExecutions")) {
            if (LOA_CONDITION.equals(execution.path("authenticator").asText())) {
                String alias = execution.path("authenticatorConfig").asText();
                for (JsonNode config : realm.path("authenticatorConfig")) {
                    if (alias.equals(config.path("alias").asText())) {
                        return Integer.valueOf(config.path("config").path("loa-condition-level").asText());
                    }
                }
            }
        }
        return null;
    }
}
