package dev.tillit.keycloak.mfa;

import java.time.Duration;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Right after a second factor was passed (and only then), when the realm offers it: a page with
 * an unticked "remember this device for N days" box. Ticked, this browser gets a signed trust
 * ({@link TrustedDevices}) and later sign-ins skip the second factor ({@link TrustedDeviceCondition});
 * unticked, nothing is stored. Sign-ins that asked no second factor pass straight through.
 */
public class TrustDeviceOffer implements Authenticator {

    static final String TEMPLATE = "tillit-trust-device.ftl";
    static final String FIELD = "trust-device";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Duration lifetime = offered(context);
        if (lifetime == null) {
            context.success();
            return;
        }
        context.challenge(context.form()
                .setAttribute("trustDays", lifetime.toDays())
                .createForm(TEMPLATE));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        Duration lifetime = offered(context);
        context.getAuthenticationSession().removeAuthNote(TrustedDeviceCondition.SECOND_FACTOR_ASKED);
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (lifetime != null && "on".equals(form.getFirst(FIELD))) {
            UserModel user = context.getUser();
            TrustedDevices.trust(context.getSession(), context.getRealm(), user, lifetime);
            context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                    .detail(TillitEvents.DETAIL, TillitEvents.DEVICE_TRUSTED)
                    .detail("trusted_days", Long.toString(lifetime.toDays()))
                    .success();
        }
        context.success();
    }

    /** The trust's lifetime when this sign-in should be offered one, else null. */
    private static Duration offered(AuthenticationFlowContext context) {
        if (context.getUser() == null
                || !"true".equals(context.getAuthenticationSession().getAuthNote(TrustedDeviceCondition.SECOND_FACTOR_ASKED))) {
            return null;
        }
        Duration lifetime = TillitSettings.of(context.getRealm()).trustedDeviceLifetime();
        return lifetime.isZero() ? null : lifetime;
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
