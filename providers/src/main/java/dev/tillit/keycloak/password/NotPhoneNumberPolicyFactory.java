package dev.tillit.keycloak.password;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PasswordPolicyProviderFactory;

/** Password policy {@code tillit-not-phone-number}: the password must not contain the account's mobile number. */
public class NotPhoneNumberPolicyFactory implements PasswordPolicyProviderFactory {

    public static final String ID = "tillit-not-phone-number";

    @Override
    public PasswordPolicyProvider create(KeycloakSession session) {
        return new NotPhoneNumberPolicy();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayName() {
        return "Tillit: not the phone number";
    }

    @Override
    public String getConfigType() {
        return null;
    }

    @Override
    public String getDefaultConfigValue() {
        return null;
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
