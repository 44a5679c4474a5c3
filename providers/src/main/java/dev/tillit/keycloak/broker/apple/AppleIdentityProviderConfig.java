package dev.tillit.keycloak.broker.apple;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import dev.tillit.keycloak.ServerMode;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * Sign in with Apple. In the admin console: "Client ID" is the Services ID, "Client Secret" the
 * operator's .p8 key (the whole PEM text) as a vault reference such as {@code ${vault.apple-key}};
 * Team ID and Key ID are the provider's own fields.
 *
 * <p>Apple's endpoints are the defaults. They can be overridden in the provider's config
 * ({@code authorizationUrl}, {@code tokenUrl}, {@code jwksUrl}, {@code issuer}, {@code revokeUrl}) so the tests can
 * point the provider at a local stand-in; production leaves them unset. Signature checking against
 * the JWKS and the nonce are always on, whatever the stored config says.
 */
public class AppleIdentityProviderConfig extends OIDCIdentityProviderConfig {

    public static final String TEAM_ID = "teamId";
    public static final String KEY_ID = "keyId";

    public static final String APPLE_ISSUER = "https://appleid.apple.com";
    public static final String APPLE_AUTHORIZATION_URL = "https://appleid.apple.com/auth/authorize";
    public static final String APPLE_TOKEN_URL = "https://appleid.apple.com/auth/token";
    public static final String APPLE_JWKS_URL = "https://appleid.apple.com/auth/keys";
    public static final String APPLE_REVOKE_URL = "https://appleid.apple.com/auth/revoke";
    /** Where a deleted account's grant is revoked; Apple's, unless a test points it at a stand-in. */
    public static final String REVOKE_URL = "revokeUrl";

    private static final Pattern TEN_CHARACTERS = Pattern.compile("[A-Z0-9]{10}");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");

    public AppleIdentityProviderConfig() {
        applyDefaults();
    }

    public AppleIdentityProviderConfig(IdentityProviderModel model) {
        super(model);
        applyDefaults();
    }

    private void applyDefaults() {
        Map<String, String> config = getConfig();
        config.putIfAbsent("authorizationUrl", APPLE_AUTHORIZATION_URL);
        config.putIfAbsent("tokenUrl", APPLE_TOKEN_URL);
        config.putIfAbsent(JWKS_URL, APPLE_JWKS_URL);
        config.putIfAbsent(IdentityProviderModel.ISSUER, APPLE_ISSUER);
        config.putIfAbsent("defaultScope", "name email");
        config.putIfAbsent(REVOKE_URL, APPLE_REVOKE_URL);
        // Not negotiable: the id_token is the only source of identity, so it is always checked
        // against Apple's published keys, and the nonce always binds it to this sign-in.
        config.put(USE_JWKS_URL, "true");
        config.put("validateSignature", "true");
        config.put("disableNonce", "false");
        config.put("disableUserInfo", "true");
        config.put("pkceEnabled", "false");
        // Apple's refresh token is kept (sealed, see AppleTokenSeal) to revoke the grant when the account
        // is deleted; the provider never hands the stored token out (AppleIdentityProvider#retrieveToken).
        setStoreToken(true);
    }

    public String getRevokeUrl() {
        return getConfig().get(REVOKE_URL);
    }

    public String getTeamId() {
        return trimmed(TEAM_ID);
    }

    public String getKeyId() {
        return trimmed(KEY_ID);
    }

    private String trimmed(String key) {
        String value = getConfig().get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public void validate(RealmModel realm) {
        super.validate(realm);
        String problem = configurationProblem(ServerMode.isDevelopment());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with the stored settings (the vault is not looked into here), or null. */
    public String configurationProblem(boolean developmentMode) {
        if (getClientId() == null || getClientId().isBlank()) {
            return "Apple: \"Client ID\" must be the Services ID (e.g. com.example.signin).";
        }
        if (getTeamId() == null || !TEN_CHARACTERS.matcher(getTeamId()).matches()) {
            return "Apple: \"Team ID\" must be the 10-character Team ID from the Apple developer account.";
        }
        if (getKeyId() == null || !TEN_CHARACTERS.matcher(getKeyId()).matches()) {
            return "Apple: \"Key ID\" must be the 10-character ID of the Sign in with Apple key (.p8).";
        }
        String secret = getClientSecret();
        if (secret == null || secret.isBlank()) {
            return "Apple: \"Client Secret\" must hold the .p8 key, as a vault reference such as ${vault.apple-key}.";
        }
        if (!developmentMode && !VAULT_REFERENCE.matcher(secret.trim()).matches()) {
            return "Apple: \"Client Secret\" must be a vault reference such as ${vault.apple-key}: a plain key is accepted only in development mode (start-dev).";
        }
        return null;
    }

    /**
     * The operator's EC private key from the vault (PEM "PRIVATE KEY", as Apple's .p8 download).
     * Throws {@link IllegalStateException} with a sentence for the admin when it cannot be had.
     */
    public ECPrivateKey privateKey(KeycloakSession session) {
        String pem;
        try (VaultStringSecret secret = session.vault().getStringSecret(getClientSecret())) {
            pem = secret.get().orElse(null);
        }
        if (pem == null || pem.isBlank() || VAULT_REFERENCE.matcher(pem.trim()).matches()) {
            throw new IllegalStateException("Apple: the key " + getClientSecret() + " is not in the vault.");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalStateException("Apple: the key in " + getClientSecret() + " is not a P-256 EC key (.p8 from Apple).");
            }
            return ec;
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Apple: the key in " + getClientSecret()
                    + " is not a PEM/PKCS#8 private key (paste the whole .p8 file): " + e.getMessage());
        }
    }
}
