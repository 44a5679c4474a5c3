package dev.tillit.keycloak.mfa;

import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The new-device alert ({@link NewDeviceAlert}) for the doors an app uses, which carry no cookie: the password
 * grant (last step of {@code tillit direct grant}) and the app's native sign-in endpoint. The app names its
 * installation with the form parameter {@value #DEVICE_PARAMETER}: a random value it makes once and keeps in the
 * device's secure storage; the account keeps only its fingerprint, among the same known devices as browsers. A
 * sign-in that names no device is a new device every time (alerted, nothing recorded): a script or an attacker
 * replaying a password does not get to look familiar. Never refuses: a failed notice is logged.
 */
public class AppDeviceAlert implements Authenticator {

    /** The token request's parameter naming the app installation. */
    public static final String DEVICE_PARAMETER = "device_id";
    /** Longer values are not an installation id this pack made the app keep; they are cut before hashing. */
    private static final int MAX_DEVICE_ID = 256;

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        String device = context.getHttpRequest().getDecodedFormParameters().getFirst(DEVICE_PARAMETER);
        // Keycloak gives the grant's user session the id of its root authentication session, as for browsers.
        check(context.getSession(), context.getRealm(), context.getUser(), device, context.getEvent(),
                context.getAuthenticationSession().getParentSession().getId());
        context.success();
    }

    /**
     * Records the installation {@code device} (may be null) among the account's known devices and, when it is new,
     * sends the alert whose "this wasn't me" link ends {@code userSessionId}.
     */
    public static void check(KeycloakSession session, RealmModel realm, UserModel user, String device, EventBuilder event,
                             String userSessionId) {
        int limit = TillitSettings.of(realm).knownDevicesPerUser();
        if (user == null || limit == 0) {
            return;
        }
        String id = device == null || device.isBlank() ? null : device.trim();
        if (id != null && id.length() > MAX_DEVICE_ID) {
            id = id.substring(0, MAX_DEVICE_ID);
        }
        String fingerprint = id == null ? null : DeviceCookies.fingerprint(id);
        if (!NewDeviceAlert.remember(user, fingerprint, limit)) {
            NewDeviceAlert.announce(session, realm, user, event, userSessionId);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        context.success();
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
