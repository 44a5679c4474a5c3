package dev.tillit.keycloak.kyc;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The {@code tillit-kyc-verifier} SPI: who decides a KYC case (people, or a vendor). */
public class KycVerifierSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "tillit-kyc-verifier";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return KycVerifier.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return KycVerifierFactory.class;
    }
}
