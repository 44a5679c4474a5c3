package dev.tillit.keycloak.phone;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers {@link PhoneLookupIndex}'s change set with Keycloak's database migration. */
public class PhoneLookupIndexFactory implements JpaEntityProviderFactory {

    static final String ID = "tillit-phone";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return new PhoneLookupIndex();
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

    @Override
    public String getId() {
        return ID;
    }
}
