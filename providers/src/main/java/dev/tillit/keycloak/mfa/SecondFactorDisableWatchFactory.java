package dev.tillit.keycloak.mfa;

import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers {@link SecondFactorDisableWatch} (credential provider {@code tillit-second-factor-disable-watch}). */
public class SecondFactorDisableWatchFactory implements CredentialProviderFactory<SecondFactorDisableWatch> {

    @Override
    public String getId() {
        return SecondFactorDisableWatch.TYPE;
    }

    @Override
    public CredentialProvider create(KeycloakSession session) {
        return new SecondFactorDisableWatch(session);
    }
}
