package dev.tillit.keycloak.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.NewCookie;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.RealmsResource;

/**
 * The two cookies that recognise a browser. {@code TILLIT_DEVICE} is a random id, kept long, that
 * only says "seen before" (new-device alerts); it proves nothing, so nothing is skipped for it.
 * {@code TILLIT_TRUSTED_DEVICE} is the signed trust ({@link TrustedDeviceToken}). Keycloak's
 * {@code CookieProvider} only sets its own cookie types, so these go out as plain
 * {@code Set-Cookie} headers with the same attributes: realm path, HttpOnly, Secure over HTTPS,
 * SameSite=Lax (sent when an application's redirect brings the browser to the login page).
 */
final class DeviceCookies {

    static final String DEVICE = "TILLIT_DEVICE";
    static final String TRUSTED = "TILLIT_TRUSTED_DEVICE";
    /** Browsers cap a cookie's lifetime at 400 days (RFC 6265bis); asking for more gains nothing. */
    static final int DEVICE_MAX_AGE = 400 * 24 * 3600;

    private static final Pattern RANDOM_ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceCookies() {
    }

    /** The cookie's value, or null. */
    static String read(KeycloakSession session, String name) {
        KeycloakContext context = session.getContext();
        if (context.getRequestHeaders() == null) {
            return null;
        }
        Cookie cookie = context.getRequestHeaders().getCookies().get(name);
        return cookie == null || cookie.getValue() == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** The device id of this browser, or null when it has none or a value we never issued the form of. */
    static String deviceId(KeycloakSession session) {
        String value = read(session, DEVICE);
        return value != null && RANDOM_ID.matcher(value).matches() ? value : null;
    }

    static void set(KeycloakSession session, RealmModel realm, String name, String value, int maxAgeSeconds) {
        KeycloakContext context = session.getContext();
        String path = RealmsResource.realmBaseUrl(context.getUri()).build(realm.getName()).getRawPath() + "/";
        boolean secure = "https".equalsIgnoreCase(context.getUri().getRequestUri().getScheme());
        context.getHttpResponse().setCookieIfAbsent(new NewCookie.Builder(name)
                .value(value).path(path).maxAge(maxAgeSeconds)
                .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX)
                .build());
    }

    /** 256 random bits, base64url (43 characters). */
    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * What the server stores of an id: its SHA-256, so a copy of the user store (or an admin's
     * screen) does not hand out cookies that would pass as the user's devices.
     */
    static String fingerprint(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two fingerprints. */
    static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
