package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Condition of the second-factor sub-flow: true (ask the second factor) unless this browser
 * carries a valid trust for the user ({@link TrustedDevices}) and the realm offers trusted devices
 * at all. Placed after "user configured", it is evaluated only for users who have a second factor
 * (Keycloak stops at the first condition that does not match), so its note
 * {@value #SECOND_FACTOR_ASKED} tells {@link TrustDeviceOffer} that a second factor was really asked.
 */
public class TrustedDeviceCondition implements ConditionalAuthenticator, ConditionalAuthenticatorFactory,
        RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-condition-device-not-trusted";
    /** Auth-session note: the second factor is asked in this sign-in (the device is not trusted). */
    static final String SECOND_FACTOR_ASKED = "tillit.device.second-factor-asked";

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null || TillitSettings.of(context.getRealm()).trustedDeviceLifetime().isZero()) {
            context.getAuthenticationSession().removeAuthNote(SECOND_FACTOR_ASKED);
            return true;
        }
        if (TrustedDevices.trusted(context.getSession(), context.getRealm(), user) && !secondFactorRequested(context)) {
            context.getAuthenticationSession().removeAuthNote(SECOND_FACTOR_ASKED);
            // On the sign-in event itself: which sign-ins went without a second factor, and why.
            context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.SECOND_FACTOR_SKIPPED);
            if (context.getAuthenticationSession().getAuthNote(PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT) != null) {
                // An identity provider's post login flow: Keycloak emits no event of its own for it (its
                // IDENTITY_PROVIDER_POST_LOGIN builder is never sent) and LOGIN is built elsewhere, so send it here.
                context.getEvent().clone().user(user).success();
            }
            return false;
        }
        context.getAuthenticationSession().setAuthNote(SECOND_FACTOR_ASKED, "true");
        return true;
    }

    /**
     * True when the client asked for the second factor's level (acr 2, through {@code acr_values} or the
     * {@code claims} parameter): a trusted device spares the second factor at sign-in, never at a step-up.
     */
    private static boolean secondFactorRequested(AuthenticationFlowContext context) {
        Integer asked = SecondFactorAim.clientRequested(context.getAuthenticationSession());
        int level = asked != null ? asked : new AcrStore(context.getSession(), context.getAuthenticationSession())
                .getRequestedLevelOfAuthentication(context.getTopLevelFlow());
        return level >= SECOND_FACTOR_LEVEL;
    }

    /** The level of authentication (realm attribute {@code acr.loa.map}) that a second factor reaches. */
    public static final int SECOND_FACTOR_LEVEL = 2;

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return this;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: condition - device not trusted";
    }

    @Override
    public String getHelpText() {
        return "True unless the browser carries a valid \"remember this device\" trust for the user (Tillit tab:"
                + " Devices). Put it after \"Condition - user configured\" in the second-factor sub-flow.";
    }

    @Override
    public void close() {
    }
}
