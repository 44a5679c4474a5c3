package dev.tillit.keycloak.broker;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** "Condition - Tillit: link chosen": runs its sub-flow only when "Link existing account" was chosen. */
public class LinkChosenConditionFactory implements ConditionalAuthenticatorFactory {

    private static final LinkChosenCondition SINGLETON = new LinkChosenCondition();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    @Override
    public ConditionalAuthenticator getSingleton() {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return FirstLoginFactories.LINK_CHOSEN;
    }

    @Override
    public String getDisplayType() {
        return "Condition - Tillit: link chosen";
    }

    @Override
    public String getHelpText() {
        return "True when the person chose \"Link existing account\" on the Tillit first-sign-in screen.";
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
