package dev.tillit.keycloak.settings;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Factories of Tillit's flow steps whose settings are realm-wide (the Tillit page), so the step
 * itself has nothing to configure: REQUIRED or DISABLED, no per-execution config.
 * <p>
 * An interface with defaults rather than a base class, so that a step which already extends one
 * of Keycloak's classes (e.g. {@code AbstractDirectGrantAuthenticator}) or is a condition
 * ({@code ConditionalAuthenticatorFactory}) uses it too. A class that is also the step itself
 * (an {@code Authenticator}) declares {@code close()}: Java takes no default for it then.
 */
public interface RealmSettingsAuthenticatorFactory extends AuthenticatorFactory {

    @Override
    default boolean isConfigurable() {
        return false;
    }

    @Override
    default AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {
                AuthenticationExecutionModel.Requirement.REQUIRED,
                AuthenticationExecutionModel.Requirement.DISABLED
        };
    }

    @Override
    default boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    default List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
