package dev.tillit.keycloak.mfa;

import java.util.List;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/**
 * Keeps the account's phone number and its SMS second factor in step when an admin changes the
 * account (admin console or {@code PUT /admin/realms/{realm}/users/{id}}). The SMS factor holds
 * no number of its own: its codes go to the account's verified {@code phone_number}. So:
 * <ul>
 * <li>A number an admin sets or changes is <b>not verified</b> ({@code phone_number_verified=false},
 *     even if the same request said {@code true}): an admin's word is not proof that the person
 *     holds that phone, and a support agent talked into typing an attacker's number must not
 *     hand over the second factor (or the notices that go to a verified number). The user proves
 *     it by a code through the SMS set-up ({@code tillit-configure-sms-otp}, which an admin may
 *     add as a required action).</li>
 * <li>An account without a verified number cannot hold the SMS factor: a removed or changed
 *     number, or an admin setting {@code phone_number_verified=false}, removes the factor
 *     ({@code REMOVE_CREDENTIAL}, which locks withdrawals like any removed second factor).</li>
 * <li>Removing the SMS factor (account console, admin console) leaves the number alone: it is
 *     still the account's proved number for signing in and for password reset; only the second
 *     factor is gone.</li>
 * </ul>
 * Called by the withdrawal-lock listener when the admin API's update event arrives, in the same
 * request and transaction as the update, before the lock notices go out (so they reach the
 * previous, proved number and not the new, unproved one).
 */
public final class SmsFactorFollowsPhone {

    private SmsFactorFollowsPhone() {
    }

    /**
     * @param phoneChanged the admin's update changed or removed {@code phone_number}
     * @param event        an event builder for the request (cloned for each event)
     */
    public static void afterAdminUpdate(UserModel user, boolean phoneChanged, EventBuilder event) {
        if (phoneChanged) {
            if (user.getFirstAttribute(TillitAttributes.PHONE_NUMBER) == null) {
                user.removeAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED);
            } else {
                user.setSingleAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED, "false");
            }
        }
        if (TillitAttributes.phoneVerified(user)) {
            return;
        }
        String type = ContactFactor.SMS.credentialType();
        List<CredentialModel> factors = user.credentialManager().getStoredCredentialsByTypeStream(type).toList();
        for (CredentialModel factor : factors) {
            user.credentialManager().removeStoredCredentialById(factor.getId());
            event.clone().event(EventType.REMOVE_CREDENTIAL).user(user)
                    .detail(Details.CREDENTIAL_TYPE, type)
                    .detail(Details.CREDENTIAL_ID, factor.getId())
                    .detail(TillitEvents.DETAIL, TillitEvents.SMS_FACTOR_FOLLOWED_PHONE)
                    .success();
        }
    }
}
