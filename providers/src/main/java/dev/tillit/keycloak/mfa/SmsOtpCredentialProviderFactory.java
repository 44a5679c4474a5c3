package dev.tillit.keycloak.mfa;

import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** The SMS second factor's credential type ({@link ContactFactor#SMS}). */
public class SmsOtpCredentialProviderFactory implements CredentialProviderFactory<ContactFactorCredentialProvider> {

    @Override
    public String getId() {
        return ContactFactor.SMS.credentialType();
    }

    @Override
    public CredentialProvider create(KeycloakSession session) {
        return new ContactFactorCredentialProvider(session, ContactFactor.SMS);
    }
}
