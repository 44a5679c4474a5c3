package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.lock.AccountChangeHook;
import dev.tillit.keycloak.lock.AccountChangeHookFactory;
import org.keycloak.models.KeycloakSession;

/** Registers {@link SecondFactorAccountHook} (account-change hook {@code tillit-second-factors}). */
public class SecondFactorAccountHookFactory implements AccountChangeHookFactory {

    @Override
    public String getId() {
        return "tillit-second-factors";
    }

    @Override
    public AccountChangeHook create(KeycloakSession session) {
        return new SecondFactorAccountHook(session);
    }
}
