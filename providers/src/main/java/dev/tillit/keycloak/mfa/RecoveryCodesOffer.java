package dev.tillit.keycloak.mfa;

import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/**
 * Recovery codes are the way back in when the phone (authenticator app, SMS number, passkey) is
 * lost, so they are offered as soon as an account sets up a second factor and holds none: Keycloak's
 * own required action {@code CONFIGURE_RECOVERY_AUTHN_CODES} is added to the account, and Keycloak's
 * required-action loop, which reads the account's actions again after each one, shows it right
 * after the set-up step (in a sign-in and after the account console's "Set up" alike).
 * <p>
 * Keycloak's set-up actions (authenticator app, passkey, security key) have no hook of their own;
 * what they all do is emit {@code UPDATE_CREDENTIAL} with the credential type, as ours do. So the
 * realm's Tillit event listener ({@code tillit-withdrawal-lock}), which sees those events inside the
 * request, calls {@link #afterSetUp}.
 */
public final class RecoveryCodesOffer {

    /** The credential types whose set-up leads to recovery codes. */
    static final Set<String> FACTORS = Set.of(OTPCredentialModel.TYPE, WebAuthnCredentialModel.TYPE_TWOFACTOR,
            WebAuthnCredentialModel.TYPE_PASSWORDLESS, ContactFactor.SMS.credentialType(),
            ContactFactor.EMAIL.credentialType());

    private static final String ACTION = UserModel.RequiredAction.CONFIGURE_RECOVERY_AUTHN_CODES.name();

    private RecoveryCodesOffer() {
    }

    /** Whether setting up a credential of this type calls for recovery codes (pure: unit-tested). */
    public static boolean followsSetUpOf(String credentialType) {
        return credentialType != null && FACTORS.contains(credentialType);
    }

    /**
     * A second factor of {@code credentialType} was just set up: adds the recovery-code set-up to the
     * account unless it holds codes already, has the action pending, or the realm turned it off.
     */
    public static void afterSetUp(KeycloakSession session, RealmModel realm, UserModel user, String credentialType) {
        if (!followsSetUpOf(credentialType)) {
            return;
        }
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(ACTION);
        if (action == null || !action.isEnabled()) {
            return;
        }
        if (user.credentialManager().getStoredCredentialsByTypeStream(RecoveryAuthnCodesCredentialModel.TYPE)
                .findAny().isPresent()) {
            return;
        }
        if (user.getRequiredActionsStream().noneMatch(ACTION::equals)) {
            user.addRequiredAction(ACTION);
        }
    }
}
