package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.lock.LockReason;
import dev.tillit.keycloak.lock.WithdrawalLock;
import dev.tillit.keycloak.lock.WithdrawalLockEventListener;
import java.util.stream.Stream;

import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputUpdater;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Locks withdrawals when an admin disables a second-factor credential type
 * ({@code PUT /admin/realms/{realm}/users/{id}/disable-credential-types}, e.g. {@code ["otp"]}).
 * <p>
 * That endpoint emits no admin event and no model event in Keycloak 26.7; its only effect is to
 * call {@link CredentialInputUpdater#disableCredentialType} on the user's federation provider and
 * on every local credential provider that supports the type. This provider is such an updater for
 * the second-factor types, so the lock is written in the same request and transaction as the
 * disabling. It never stores, validates, updates or lists credentials of its own (its type is
 * referenced by no flow, so account and admin consoles never offer it).
 * <p>
 * Keycloak's own local OTP and WebAuthn providers are no updaters, so for a local (non-federated)
 * user the endpoint removes nothing; the lock is still written when the user has such a credential,
 * as the admin asked for the factor to be disabled.
 */
public class SecondFactorDisableWatch implements CredentialProvider<CredentialModel>, CredentialInputUpdater {

    public static final String TYPE = "tillit-second-factor-disable-watch";

    private final KeycloakSession session;

    SecondFactorDisableWatch(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        // Not the types that have a provider of their own (the SMS and email factors): Keycloak picks the
        // provider that stores a credential by this method, and this one stores none.
        return credentialType != null && WithdrawalLockEventListener.SECOND_FACTORS.contains(credentialType)
                && !ContactFactor.SMS.credentialType().equals(credentialType)
                && !ContactFactor.EMAIL.credentialType().equals(credentialType);
    }

    @Override
    public void disableCredentialType(RealmModel realm, UserModel user, String credentialType) {
        if (!supportsCredentialType(credentialType)) {
            return;
        }
        boolean has = user.isFederated()
                || user.credentialManager().getStoredCredentialsByTypeStream(credentialType).findAny().isPresent();
        if (has) {
            WithdrawalLock.apply(session, realm, user, LockReason.SECOND_FACTOR_REMOVED,
                    new EventBuilder(realm, session, session.getContext().getConnection()));
        }
    }

    @Override
    public boolean updateCredential(RealmModel realm, UserModel user, CredentialInput input) {
        return false;
    }

    @Override
    public Stream<String> getDisableableCredentialTypesStream(RealmModel realm, UserModel user) {
        return Stream.empty();
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credentialModel) {
        throw new UnsupportedOperationException("stores no credentials");
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return false;
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(TYPE)
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("tillitSecondFactorWatch")
                .helpText("tillitSecondFactorWatchHelp")
                .iconCssClass("kcAuthenticatorOTPClass")
                // Keycloak's "may the user remove this credential?" check (CredentialDeleteHelper) takes ANY
                // provider that supports the credential's type and reads its metadata; as this one supports
                // the second-factor types to watch them, it must not say "not removable" for them (it did
                // for passkeys: the account console could not remove one). It stores nothing to remove.
                .removeable(true)
                .build(session);
    }
}
