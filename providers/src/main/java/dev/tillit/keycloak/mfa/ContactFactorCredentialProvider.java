package dev.tillit.keycloak.mfa;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The credential of an SMS or email second factor. It holds no secret: it records that the
 * user proved the number or address with a code and chose it as a second factor (its label
 * shows which, masked). The codes themselves are the code engine's, sent to the account's
 * verified number or address at the time of sign-in, so the factor follows the account's
 * contact data and never keeps a second copy of it.
 * <p>
 * Removing it goes through Keycloak's own paths (account console, admin console), which emit
 * {@code REMOVE_CREDENTIAL} with this type; the withdrawal-lock listener turns that into a lock.
 */
public class ContactFactorCredentialProvider implements CredentialProvider<CredentialModel>, CredentialInputValidator {

    private final KeycloakSession session;
    private final ContactFactor factor;

    ContactFactorCredentialProvider(KeycloakSession session, ContactFactor factor) {
        this.session = session;
        this.factor = factor;
    }

    public ContactFactor factor() {
        return factor;
    }

    @Override
    public String getType() {
        return factor.credentialType();
    }

    /** A new credential of this type for {@code user} (not yet stored), labelled with what it sends to. */
    public CredentialModel newCredential(String shownContact) {
        CredentialModel credential = new CredentialModel();
        credential.setType(getType());
        credential.setUserLabel(shownContact);
        credential.setCreatedDate(Time.currentTimeMillis());
        credential.setCredentialData("{}");
        credential.setSecretData("{}");
        return credential;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credential) {
        if (credential.getCreatedDate() == null) {
            credential.setCreatedDate(Time.currentTimeMillis());
        }
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return getType().equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType)
                && user.credentialManager().getStoredCredentialsByTypeStream(credentialType).findAny().isPresent();
    }

    /** Codes are checked by the code engine in the flow step, never through the credential. */
    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        return false;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName(factor.message("DisplayName"))
                .helpText(factor.message("HelpText"))
                .iconCssClass(factor.iconCssClass())
                .createAction(factor.setupActionId())
                .removeable(true)
                .build(session);
    }
}
