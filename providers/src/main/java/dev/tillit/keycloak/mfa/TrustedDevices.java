package dev.tillit.keycloak.mfa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import org.jboss.logging.Logger;
import org.keycloak.TokenCategory;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;

/**
 * "Remember this device": a device the user trusted skips the second factor, never the password.
 * <p>
 * The browser holds a signed {@link TrustedDeviceToken}; the server holds, per user, the
 * fingerprints of the trusts it issued with their expiry (user attribute
 * {@value TillitAttributes#TRUSTED_DEVICES}). A cookie counts only when both agree, so removing
 * the attribute revokes every trust at once: a password reset or change, a removed second factor
 * and a disowned sign-in do so through the withdrawal lock, an admin by deleting the attribute.
 * An attribute rather than a credential: a credential would be listed and removable as a "second
 * factor" in the consoles, its removal would itself lock withdrawals, and Keycloak's
 * "user configured" condition would count it as a factor.
 */
public final class TrustedDevices {

    /** Trusts kept per user; the oldest goes first. */
    static final int MAX_PER_USER = 10;

    private static final Logger LOG = Logger.getLogger(TrustedDevices.class);

    private TrustedDevices() {
    }

    /** Trusts this browser for {@code user} for {@code lifetime}: the cookie and the server's record. */
    static void trust(KeycloakSession session, RealmModel realm, UserModel user, Duration lifetime) {
        long now = Time.currentTime();
        long expiry = now + lifetime.toSeconds();
        String deviceId = DeviceCookies.newId();
        TrustedDeviceToken token = new TrustedDeviceToken();
        token.id(DeviceCookies.newId());
        token.type(TrustedDeviceToken.TYPE);
        token.issuer(issuer(session, realm));
        token.subject(user.getId());
        token.iat(now);
        token.exp(expiry);
        token.setDeviceId(deviceId);
        String signed = session.tokens().encode(token);

        List<Entry> entries = new ArrayList<>(entries(user).stream().filter(e -> e.until() > now).toList());
        entries.add(new Entry(DeviceCookies.fingerprint(deviceId), expiry));
        entries.sort(Comparator.comparingLong(Entry::until).reversed());
        user.setAttribute(TillitAttributes.TRUSTED_DEVICES,
                entries.stream().limit(MAX_PER_USER).map(Entry::value).toList());
        DeviceCookies.set(session, realm, DeviceCookies.TRUSTED, signed, (int) lifetime.toSeconds());
    }

    /**
     * True when this browser carries a trust for exactly this user: signed with the realm's
     * internal-token key (HS512, checked before anything else is believed), of our type and realm,
     * not expired, and still on the user's server-side list. Anything else is ignored, silently:
     * the second factor is simply asked.
     */
    static boolean trusted(KeycloakSession session, RealmModel realm, UserModel user) {
        String raw = DeviceCookies.read(session, DeviceCookies.TRUSTED);
        if (raw == null || user == null) {
            return false;
        }
        try {
            String algorithm = new JWSInput(raw).getHeader().getRawAlgorithm();
            if (!session.tokens().signatureAlgorithm(TokenCategory.INTERNAL).equals(algorithm)) {
                return false; // e.g. a token signed with the realm's RSA key for another purpose
            }
        } catch (JWSInputException e) {
            return false;
        }
        TrustedDeviceToken token = session.tokens().decode(raw, TrustedDeviceToken.class);
        long now = Time.currentTime();
        if (token == null || !TrustedDeviceToken.TYPE.equals(token.getType())
                || !issuer(session, realm).equals(token.getIssuer())
                || !user.getId().equals(token.getSubject())
                || token.getExp() == null || token.getExp() <= now
                || token.getDeviceId() == null) {
            LOG.debugf("Trusted-device cookie ignored for user %s", user.getId());
            return false;
        }
        String fingerprint = DeviceCookies.fingerprint(token.getDeviceId());
        boolean listed = false;
        for (Entry entry : entries(user)) {
            // Every entry is compared, in constant time, whatever matched before.
            listed |= entry.until() > now && DeviceCookies.same(entry.fingerprint(), fingerprint);
        }
        return listed;
    }

    /**
     * Revokes every device {@code user} trusts (no-op when there is none) and emits
     * {@code tillit_event=device_trust_revoked} with {@code reason}. Runs in the caller's transaction.
     */
    public static void revokeAll(KeycloakSession session, RealmModel realm, UserModel user, String reason, EventBuilder event) {
        if (user.getAttributeStream(TillitAttributes.TRUSTED_DEVICES).findAny().isEmpty()) {
            return;
        }
        user.removeAttribute(TillitAttributes.TRUSTED_DEVICES);
        event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(TillitEvents.DETAIL, TillitEvents.DEVICE_TRUST_REVOKED)
                .detail(Details.REASON, reason)
                .success();
    }

    private static String issuer(KeycloakSession session, RealmModel realm) {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }

    static List<Entry> entries(UserModel user) {
        return user.getAttributeStream(TillitAttributes.TRUSTED_DEVICES).map(Entry::parse)
                .filter(e -> e != null).toList();
    }

    /** One stored value: {@code <fingerprint>.<epoch seconds>}. */
    record Entry(String fingerprint, long until) {

        static Entry parse(String value) {
            int dot = value == null ? -1 : value.lastIndexOf('.');
            if (dot <= 0) {
                return null;
            }
            try {
                return new Entry(value.substring(0, dot), Long.parseLong(value.substring(dot + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        String value() {
            return fingerprint + "." + until;
        }
    }
}
