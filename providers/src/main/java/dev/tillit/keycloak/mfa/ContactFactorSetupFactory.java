package dev.tillit.keycloak.mfa;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Required action that sets up one contact factor; its id is the credential type's "create" action. */
abstract class ContactFactorSetupFactory implements RequiredActionFactory {

    abstract ContactFactor factor();

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new ContactFactorSetup(factor());
    }

    @Override
    public String getId() {
        return factor().setupActionId();
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
