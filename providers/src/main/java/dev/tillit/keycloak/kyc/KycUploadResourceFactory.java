package dev.tillit.keycloak.kyc;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** {@code /realms/<realm>/tillit-kyc/...}: picture uploads of the verification; also starts KYC housekeeping. */
public class KycUploadResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "tillit-kyc";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KycUploadResource(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KycHousekeeping.register(factory);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
