package dev.tillit.keycloak.mfa;

import java.util.List;

import dev.tillit.keycloak.TillitEvents;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/**
 * The email address's counterpart of {@link SmsFactorFollowsPhone}, for an admin's change of the
 * account (admin console or {@code PUT /admin/realms/{realm}/users/{id}}):
 * <ul>
 * <li>An address an admin sets or changes is <b>not verified</b> ({@code emailVerified=false},
 *     even if the same request said {@code true}): an admin's word is no proof that the person
 *     reads that mailbox, and a support agent talked into typing an attacker's address must not
 *     send the email second factor's codes or password-reset codes there. The user proves it by
 *     a code through the email-code set-up ({@code tillit-configure-email-otp}) or by Keycloak's
 *     verification link ({@code VERIFY_EMAIL}), which an admin may add as required actions. The
 *     event {@code CUSTOM_REQUIRED_ACTION} with {@code tillit_event=}{@value TillitEvents#ADMIN_EMAIL_UNVERIFIED}
 *     records it, with the previous and the new address.</li>
 * <li>An account without a verified address cannot hold the email factor: it is removed
 *     ({@code REMOVE_CREDENTIAL}, which locks withdrawals like any removed second factor); the
 *     account signs in with its other factors.</li>
 * </ul>
 * Called by the withdrawal-lock listener when the admin API's update event arrives, in the same
 * request and transaction as the update.
 */
public final class EmailFactorFollowsEmail {

    private EmailFactorFollowsEmail() {
    }

    /**
     * @param emailChanged  the admin's update changed or removed {@code email}
     * @param previousEmail the address before the update (may be null)
     * @param event         an event builder for the request (cloned for each event)
     */
    public static void afterAdminUpdate(UserModel user, boolean emailChanged, String previousEmail, EventBuilder event) {
        if (emailChanged && user.getEmail() != null) {
            boolean claimedVerified = user.isEmailVerified();
            user.setEmailVerified(false);
            EventBuilder unverified = event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                    .detail(TillitEvents.DETAIL, TillitEvents.ADMIN_EMAIL_UNVERIFIED)
                    .detail(Details.UPDATED_EMAIL, user.getEmail())
                    .detail(TillitEvents.EMAIL_VERIFIED_CLAIMED, Boolean.toString(claimedVerified));
            if (previousEmail != null) {
                unverified.detail(Details.PREVIOUS_EMAIL, previousEmail);
            }
            unverified.success();
        }
        if (user.getEmail() != null && user.isEmailVerified()) {
            return;
        }
        String type = ContactFactor.EMAIL.credentialType();
        List<CredentialModel> factors = user.credentialManager().getStoredCredentialsByTypeStream(type).toList();
        for (CredentialModel factor : factors) {
            user.credentialManager().removeStoredCredentialById(factor.getId());
            event.clone().event(EventType.REMOVE_CREDENTIAL).user(user)
                    .detail(Details.CREDENTIAL_TYPE, type)
                    .detail(Details.CREDENTIAL_ID, factor.getId())
                    .detail(TillitEvents.DETAIL, TillitEvents.EMAIL_FACTOR_FOLLOWED_EMAIL)
                    .success();
        }
    }
}
