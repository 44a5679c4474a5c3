package dev.tillit.keycloak.broker;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** "Condition - Tillit: second factor not passed at link": see {@link FactorPassedAtLinkCondition}. */
public class FactorPassedAtLinkConditionFactory implements ConditionalAuthenticatorFactory {

    private static final FactorPassedAtLinkCondition SINGLETON = new FactorPassedAtLinkCondition();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    @Override
    public ConditionalAuthenticator getSingleton() {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return FirstLoginFactories.FACTOR_NOT_PASSED_AT_LINK;
    }

    @Override
    public String getDisplayType() {
        return "Condition - Tillit: second factor not passed at link";
    }

    @Override
    public String getHelpText() {
        return "For an identity provider's post login flow: true (ask the second factor) unless this sign-in just linked the"
                + " identity through Tillit's \"Link existing account\", which asked the account's password and second factor.";
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
