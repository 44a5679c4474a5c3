package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;

/** "Condition - Tillit: link chosen": runs its sub-flow only when "Link existing account" was chosen. */
public class LinkChosenConditionFactory implements ConditionalAuthenticatorFactory, RealmSettingsAuthenticatorFactory {

    private static final LinkChosenCondition SINGLETON = new LinkChosenCondition();

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
}
