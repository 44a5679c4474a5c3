package dev.tillit.keycloak.broker.app;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** {@code /realms/{realm}/tillit-app-sign-in}: the mobile app's native Apple / Google sign-in ({@link AppSignInResource}). */
public class AppSignInResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "tillit-app-sign-in";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new AppSignInResource(session);
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
