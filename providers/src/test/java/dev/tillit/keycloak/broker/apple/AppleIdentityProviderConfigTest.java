package dev.tillit.keycloak.broker.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;

class AppleIdentityProviderConfigTest {

    private static AppleIdentityProviderConfig config(String clientId, String teamId, String keyId, String secret) {
        IdentityProviderModel model = new IdentityProviderModel();
        model.getConfig().put("clientId", clientId);
        model.getConfig().put("teamId", teamId);
        model.getConfig().put("keyId", keyId);
        model.getConfig().put("clientSecret", secret);
        // A stored config that tries to switch the checks off.
        model.getConfig().put("validateSignature", "false");
        model.getConfig().put("disableNonce", "true");
        model.getConfig().put("useJwksUrl", "false");
        return new AppleIdentityProviderConfig(model);
    }

    @Test
    void appleEndpointsByDefaultAndTheChecksCannotBeSwitchedOff() {
        AppleIdentityProviderConfig c = config("com.example.signin", "ABCDE12345", "KEY1234567", "${vault.apple-key}");
        assertEquals("https://appleid.apple.com/auth/authorize", c.getAuthorizationUrl());
        assertEquals("https://appleid.apple.com/auth/token", c.getTokenUrl());
        assertEquals("https://appleid.apple.com/auth/keys", c.getJwksUrl());
        assertEquals("https://appleid.apple.com", c.getIssuer());
        assertTrue(c.isValidateSignature());
        assertTrue(c.isUseJwksUrl());
        assertEquals(false, c.isDisableNonce());
        assertNull(c.configurationProblem(false));
    }

    @Test
    void misconfigurationIsASentenceForTheAdmin() {
        assertTrue(config("", "ABCDE12345", "KEY1234567", "${vault.k}").configurationProblem(true).contains("Services ID"));
        assertTrue(config("a.b", "abc", "KEY1234567", "${vault.k}").configurationProblem(true).contains("Team ID"));
        assertTrue(config("a.b", "ABCDE12345", null, "${vault.k}").configurationProblem(true).contains("Key ID"));
        assertTrue(config("a.b", "ABCDE12345", "KEY1234567", null).configurationProblem(true).contains(".p8"));
        assertTrue(config("a.b", "ABCDE12345", "KEY1234567", "-----BEGIN PRIVATE KEY-----").configurationProblem(false)
                .contains("vault reference"));
        assertNull(config("a.b", "ABCDE12345", "KEY1234567", "-----BEGIN PRIVATE KEY-----").configurationProblem(true));
    }
}
