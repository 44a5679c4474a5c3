package dev.tillit.keycloak.kyc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;

/**
 * "Continue on your phone": a link (shown as a QR code) that lets a phone add the pictures of one
 * draft verification, and nothing else. It is not a sign-in: the phone gets no Keycloak session,
 * only a cookie for this draft. The link works once, on the first device that opens it (the
 * cluster-wide {@link SingleUseObjectProvider#remove} hands it to exactly one request), for ten
 * minutes; the phone's cookie lasts thirty. Only hashes of the link and of the cookie are stored,
 * so a dump of the cache opens nothing.
 */
final class KycHandoff {

    static final int LINK_SECONDS = 600;
    static final int PHONE_SECONDS = 1800;
    static final String COOKIE = "TILLIT_KYC_PHONE";

    private static final String LINK = "tillit-kyc-link:";
    private static final String USED = "tillit-kyc-link-used:";
    private static final String PHONE = "tillit-kyc-phone:";
    /** The phone's current upload token and frame count: each upload spends the token and the answer carries the next. */
    private static final String PHONE_TOKEN = "tillit-kyc-phone-token:";
    private static final String FRAMES = "frames";
    private static final String REALM = "realm";
    private static final String USER = "user";
    private static final String CASE = "case";
    private static final String TOKEN = "token";

    /** What a link or phone cookie is good for. */
    record Grant(String realmId, String userId, String caseId, String uploadToken) {
    }

    /** The phone's next upload token, and how many guided-selfie frames it has sent. */
    record Renewed(String token, int frames) {
    }

    /** Why a link did not open. */
    enum Refusal { USED, EXPIRED }

    private final SingleUseObjectProvider store;

    KycHandoff(KeycloakSession session) {
        this.store = session.singleUseObjects();
    }

    /** A new link secret for this draft (the previous ones stay valid until they expire or are used). */
    String issueLink(RealmModel realm, UserModel user, KycCaseEntity draft) {
        String secret = SecretGenerator.getInstance().randomString(43);
        Map<String, String> notes = new HashMap<>();
        notes.put(REALM, realm.getId());
        notes.put(USER, user.getId());
        notes.put(CASE, draft.getId());
        store.put(LINK + hash(secret), LINK_SECONDS, notes);
        return secret;
    }

    /**
     * Opens a link: the first caller gets the phone cookie's secret and its grant, every later one a
     * refusal. Returns {@code [cookieSecret, grant]} or the refusal.
     */
    Object open(RealmModel realm, String linkSecret) {
        String key = hash(linkSecret == null ? "" : linkSecret);
        Map<String, String> link = store.remove(LINK + key);
        if (link == null || !realm.getId().equals(link.get(REALM))) {
            return store.contains(USED + key) ? Refusal.USED : Refusal.EXPIRED;
        }
        store.put(USED + key, LINK_SECONDS, Map.of());
        String cookie = SecretGenerator.getInstance().randomString(43);
        Map<String, String> phone = new HashMap<>(link);
        phone.put(TOKEN, SecretGenerator.getInstance().randomString(43));
        store.put(PHONE + hash(cookie), PHONE_SECONDS, phone);
        return new Object[] {cookie, grant(phone)};
    }

    /** The grant of a phone cookie in this realm, or null. */
    Grant phone(RealmModel realm, String cookieSecret) {
        if (cookieSecret == null || cookieSecret.isBlank()) {
            return null;
        }
        Map<String, String> phone = store.get(PHONE + hash(cookieSecret));
        if (phone == null || !realm.getId().equals(phone.get(REALM))) {
            return null;
        }
        Map<String, String> current = store.get(PHONE_TOKEN + hash(cookieSecret));
        if (current != null) {
            phone = new HashMap<>(phone);
            phone.put(TOKEN, current.get(TOKEN));
        }
        return grant(phone);
    }

    /** Replaces the phone's upload token (the caller has just spent the old one) and counts a frame if it is one. */
    Renewed renewToken(String cookieSecret, boolean frame) {
        String key = PHONE_TOKEN + hash(cookieSecret);
        Map<String, String> current = store.get(key);
        int frames = current == null ? 0 : Integer.parseInt(current.getOrDefault(FRAMES, "0"));
        if (frame) {
            frames++;
        }
        String token = SecretGenerator.getInstance().randomString(43);
        store.put(key, PHONE_SECONDS, Map.of(TOKEN, token, FRAMES, String.valueOf(frames)));
        return new Renewed(token, frames);
    }

    private static Grant grant(Map<String, String> notes) {
        return new Grant(notes.get(REALM), notes.get(USER), notes.get(CASE), notes.get(TOKEN));
    }

    static boolean sameSecret(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
