package dev.tillit.keycloak.login;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * "Tillit: sign up by email or phone" for the realm's registration flow. Its settings (code
 * limits, legal document links and versions) are realm-wide, on the admin console's Tillit page.
 */
public class TillitRegistrationFactory implements AuthenticatorFactory {

    public static final String ID = "tillit-registration";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public Authenticator create(KeycloakSession session) {
        return new TillitRegistration();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: sign up by email or phone";
    }

    @Override
    public String getReferenceCategory() {
        return "registration";
    }

    @Override
    public String getHelpText() {
        return "Sign-up with an email address or a mobile number and a password; the identifier is verified by a "
                + "one-time code before the account exists; the user agreement and privacy policy must be accepted.";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
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
