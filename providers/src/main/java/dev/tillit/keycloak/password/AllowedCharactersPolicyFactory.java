package dev.tillit.keycloak.password;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PasswordPolicyProviderFactory;

/**
 * Password policy {@code tillit-allowed-characters(<specials>)}: a password may contain only
 * ASCII letters, digits and the configured special characters — what the exchange's other
 * systems (and its support staff reading a password aloud) can handle.
 */
public class AllowedCharactersPolicyFactory implements PasswordPolicyProviderFactory {

    public static final String ID = "tillit-allowed-characters";
    public static final String DEFAULT_SPECIALS = "~`!@#$%^*()_-+={}[]|;:,.?/";

    @Override
    public PasswordPolicyProvider create(KeycloakSession session) {
        return new AllowedCharactersPolicy(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayName() {
        return "Tillit: allowed characters";
    }

    @Override
    public String getConfigType() {
        return PasswordPolicyProvider.STRING_CONFIG_TYPE;
    }

    @Override
    public String getDefaultConfigValue() {
        return DEFAULT_SPECIALS;
    }

    @Override
    public boolean isMultiplSupported() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
