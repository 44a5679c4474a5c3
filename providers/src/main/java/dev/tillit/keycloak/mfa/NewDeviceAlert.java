package dev.tillit.keycloak.mfa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.code.CodeDelivery;
import dev.tillit.keycloak.code.DeliveryFailedException;
import dev.tillit.keycloak.lock.WithdrawalLock;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.common.util.Time;
import org.keycloak.device.DeviceRepresentationProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.account.DeviceRepresentation;

/**
 * At the end of the sign-in forms (password and any second factor passed), and of the post-login flow
 * of every identity provider ({@code tillit post broker login}): is this browser one
 * the account has used before? Browsers carry a long-lived random id ({@code TILLIT_DEVICE}); the
 * account keeps the fingerprints of its last N ({@value TillitAttributes#KNOWN_DEVICES}, N on the
 * Tillit tab, 0 = off). An unknown one is recorded and the user is told by mail (verified address)
 * and SMS (verified number): when, which browser and system, which IP, and a "this wasn't me"
 * link ({@link SignInDisownToken}) that locks withdrawals and ends the session this sign-in opens.
 * An account made by this very sign-in (sign-up through an identity provider) records its first
 * browser without an alert. Never shows a page, never stops the sign-in: a failed notice is logged.
 */
public class NewDeviceAlert implements Authenticator {

    static final int LINK_LIFESPAN_SECONDS = SignInDisownToken.LINK_LIFESPAN_SECONDS;
    /** A known device's "last seen" is rewritten at most this often (one write per device per day). */
    private static final long LAST_SEEN_GRANULARITY = 24 * 3600;
    private static final Logger LOG = Logger.getLogger(NewDeviceAlert.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        int limit = TillitSettings.of(context.getRealm()).knownDevicesPerUser();
        if (user == null || limit == 0) {
            context.success();
            return;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String id = DeviceCookies.deviceId(session);
        if (id == null) {
            id = DeviceCookies.newId();
        }
        boolean known = remember(user, DeviceCookies.fingerprint(id), limit);
        // The cookie is (re)written: a new browser gets its id, a known one keeps it for another while.
        DeviceCookies.set(session, realm, DeviceCookies.DEVICE, id, DeviceCookies.DEVICE_MAX_AGE);
        if (known || Boolean.parseBoolean(context.getAuthenticationSession().getAuthNote(AbstractIdentityProvider.BROKER_REGISTERED_NEW_USER))) {
            // Known; or the account was made by this very sign-in (sign-up through an identity provider): its first device.
            context.success();
            return;
        }
        // Keycloak gives a browser sign-in's user session the id of its root authentication session.
        announce(session, realm, user, context.getEvent(), context.getAuthenticationSession().getParentSession().getId());
        context.success();
    }

    /**
     * Whether the device with this fingerprint is one of the account's known ones; either way it is the newest now
     * (its "last seen" rewritten at most daily). A null fingerprint (a device that names none) is never known and is
     * not recorded.
     */
    static boolean remember(UserModel user, String fingerprint, int limit) {
        long now = Time.currentTime();
        List<TrustedDevices.Entry> known = new ArrayList<>(user.getAttributeStream(TillitAttributes.KNOWN_DEVICES)
                .map(TrustedDevices.Entry::parse).filter(e -> e != null).toList());
        TrustedDevices.Entry match = null;
        for (TrustedDevices.Entry entry : known) {
            if (DeviceCookies.same(entry.fingerprint(), fingerprint)) {
                match = entry;
            }
        }
        if (match != null) {
            if (now - match.until() >= LAST_SEEN_GRANULARITY) {
                known.remove(match);
                known.add(new TrustedDevices.Entry(fingerprint, now));
                store(user, known, limit);
            }
            return true;
        }
        if (fingerprint != null) {
            known.add(new TrustedDevices.Entry(fingerprint, now));
            store(user, known, limit);
        }
        return false;
    }

    /**
     * A sign-in from a new device: the event {@code new_device_sign_in} and the notices by mail and SMS, whose
     * "this wasn't me" link ends the user session {@code userSessionId} and locks withdrawals.
     */
    static void announce(KeycloakSession session, RealmModel realm, UserModel user, EventBuilder event, String userSessionId) {
        Client client = Client.of(session);
        event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user).session(userSessionId)
                .detail(TillitEvents.DETAIL, TillitEvents.NEW_DEVICE_SIGN_IN)
                .detail(TillitEvents.DEVICE, client.browser() + " / " + client.os())
                .success();
        notifyUser(session, realm, user, Time.currentTime(), client, SignInDisownToken.link(session, realm, user, userSessionId, null));
    }

    /** Newest first, at most {@code limit}: the device unused longest is forgotten first. */
    private static void store(UserModel user, List<TrustedDevices.Entry> known, int limit) {
        user.setAttribute(TillitAttributes.KNOWN_DEVICES, known.stream()
                .sorted(Comparator.comparingLong(TrustedDevices.Entry::until).reversed())
                .limit(limit).map(TrustedDevices.Entry::value).toList());
    }

    private static void notifyUser(KeycloakSession session, RealmModel realm, UserModel user, long now, Client client,
                                   String link) {
        String when = WithdrawalLock.format(now);
        CodeDelivery delivery = new CodeDelivery(session, realm, TillitSettings.of(realm));
        if (user.getEmail() != null && user.isEmailVerified()) {
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("signInTime", when);
            attributes.put("browser", client.browser());
            attributes.put("os", client.os());
            attributes.put("ipAddress", client.ip());
            attributes.put("disownLink", link);
            attributes.put("linkDays", LINK_LIFESPAN_SECONDS / (24 * 3600));
            try {
                delivery.email(user.getEmail(), user, TillitMessages.NEW_DEVICE_SUBJECT, "tillit-new-device.ftl", attributes);
            } catch (DeliveryFailedException e) {
                LOG.warnf("New-device alert mail for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
        if (TillitAttributes.phoneVerified(user)) {
            try {
                delivery.sms(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER), user, TillitMessages.SMS_NEW_DEVICE,
                        when, client.browser(), client.os(), client.ip(), link);
            } catch (DeliveryFailedException e) {
                LOG.warnf("New-device alert SMS for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
    }

    /** The client as the alert names it: browser and system families (Keycloak's user-agent parser) and IP. */
    record Client(String browser, String os, String ip) {

        static Client of(KeycloakSession session) {
            DeviceRepresentationProvider provider = session.getProvider(DeviceRepresentationProvider.class);
            DeviceRepresentation device = provider == null ? null : provider.deviceRepresentation();
            String ip = session.getContext().getConnection() == null ? "?" : session.getContext().getConnection().getRemoteAddr();
            if (device == null) {
                return new Client(DeviceRepresentation.UNKNOWN, DeviceRepresentation.UNKNOWN, ip);
            }
            String browser = device.getBrowser() == null ? DeviceRepresentation.UNKNOWN : device.getBrowser();
            int slash = browser.indexOf('/');
            return new Client(slash > 0 ? browser.substring(0, slash) : browser,
                    device.getOs() == null ? DeviceRepresentation.UNKNOWN : device.getOs(), ip);
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
