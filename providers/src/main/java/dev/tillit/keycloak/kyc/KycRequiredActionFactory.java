package dev.tillit.keycloak.kyc;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * {@code tillit-kyc}: set on a user by an admin, required after registration by the realm, or
 * asked for by an application ({@code kc_action=tillit-kyc}). Its settings are realm-wide and
 * live in the realm's Tillit settings ("Identity verification"), next to the other limits.
 */
public class KycRequiredActionFactory implements RequiredActionFactory {

    public static final String ID = "tillit-kyc";

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new KycRequiredAction();
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

    @Override
    public String getId() {
        return ID;
    }
}
