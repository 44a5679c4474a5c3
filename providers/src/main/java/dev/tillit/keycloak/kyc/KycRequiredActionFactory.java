package dev.tillit.keycloak.kyc;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** The required action {@code tillit-kyc}; an application starts it with {@code kc_action=tillit-kyc}. */
public class KycRequiredActionFactory implements RequiredActionFactory {

    public static final String ID = "tillit-kyc";

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new KycRequiredAction();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Tillit: verify identity (KYC)";
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
