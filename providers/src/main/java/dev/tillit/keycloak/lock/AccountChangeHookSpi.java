package dev.tillit.keycloak.lock;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The {@code tillit-account-change-hook} SPI: see {@link AccountChangeHook}. */
public class AccountChangeHookSpi implements Spi {

    public static final String NAME = "tillit-account-change-hook";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return AccountChangeHook.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return AccountChangeHookFactory.class;
    }
}
