package dev.tillit.keycloak.mfa;

import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** The email second factor's credential type ({@link ContactFactor#EMAIL}). */
public class EmailOtpCredentialProviderFactory implements CredentialProviderFactory<ContactFactorCredentialProvider> {

    @Override
    public String getId() {
        return ContactFactor.EMAIL.credentialType();
    }

    @Override
    public CredentialProvider create(KeycloakSession session) {
        return new ContactFactorCredentialProvider(session, ContactFactor.EMAIL);
    }
}
