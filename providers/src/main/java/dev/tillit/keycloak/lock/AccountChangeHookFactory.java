package dev.tillit.keycloak.lock;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/** Factory of an {@link AccountChangeHook}; every installed one is called. */
public interface AccountChangeHookFactory extends ProviderFactory<AccountChangeHook> {

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
