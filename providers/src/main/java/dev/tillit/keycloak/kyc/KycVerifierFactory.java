package dev.tillit.keycloak.kyc;

import org.keycloak.provider.ProviderFactory;

/** Factory of a {@link KycVerifier}; its id is what the realm setting "Decided by" names. */
public interface KycVerifierFactory extends ProviderFactory<KycVerifier> {
}
