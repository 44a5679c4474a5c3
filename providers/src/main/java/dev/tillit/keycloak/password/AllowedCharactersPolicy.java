package dev.tillit.keycloak.password;

import dev.tillit.keycloak.TillitMessages;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PolicyError;

/** Refuses any character outside ASCII letters, digits and the configured special characters. */
public class AllowedCharactersPolicy implements PasswordPolicyProvider {

    public static final String ERROR = TillitMessages.PASSWORD_INVALID_CHARACTER;

    private final KeycloakSession session;

    AllowedCharactersPolicy(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public PolicyError validate(RealmModel realm, UserModel user, String password) {
        return check(specials(realm), password);
    }

    @Override
    public PolicyError validate(String username, String password) {
        return check(specials(session.getContext().getRealm()), password);
    }

    static PolicyError check(String specials, String password) {
        if (password == null) {
            return null;
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!letterOrDigit && specials.indexOf(c) < 0) {
                return new PolicyError(ERROR, specials);
            }
        }
        return null;
    }

    private static String specials(RealmModel realm) {
        String configured = realm == null ? null
                : realm.getPasswordPolicy().getPolicyConfig(AllowedCharactersPolicyFactory.ID);
        return configured == null || configured.isEmpty() ? AllowedCharactersPolicyFactory.DEFAULT_SPECIALS : configured;
    }

    @Override
    public Object parseConfig(String value) {
        return value == null || value.isEmpty() ? AllowedCharactersPolicyFactory.DEFAULT_SPECIALS : value;
    }

    @Override
    public void close() {
    }
}
