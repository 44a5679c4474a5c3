package dev.tillit.keycloak.kyc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The right to upload the picture of one step of one case, kept in the sign-in's authentication
 * session: a random token that the step's page sends back with the picture, the document kind and the
 * case. The screen ({@link KycRequiredAction}) grants it; the upload resource ({@link KycUploadResource})
 * checks the presented token against it in constant time, renews it after a refusal or a selfie frame
 * (the page gets the new token in the answer) and revokes it once the step's picture is stored. That a
 * token is spent at most once across the cluster is the upload resource's claim, made before the body is read.
 */
final class UploadGrant {

    private static final String NOTE_TOKEN = "tillit.kyc.upload.token";
    private static final String NOTE_KIND = "tillit.kyc.upload.kind";
    private static final String NOTE_CASE = "tillit.kyc.upload.case";
    private static final int TOKEN_LENGTH = 43;

    /** What a valid token allows: a picture of {@code kind} for case {@code caseId}. */
    record Granted(String kind, String caseId) {
    }

    private UploadGrant() {
    }

    /** Grants the upload of {@code kind} into case {@code caseId}, replacing any earlier grant; returns the token. */
    static String grant(AuthenticationSessionModel auth, String kind, String caseId) {
        auth.setAuthNote(NOTE_KIND, kind);
        auth.setAuthNote(NOTE_CASE, caseId);
        return renew(auth);
    }

    /** What {@code presented} grants in this session, or null when it is not the session's current token. */
    static Granted matching(AuthenticationSessionModel auth, String presented) {
        String expected = auth == null ? null : auth.getAuthNote(NOTE_TOKEN);
        if (expected == null || presented == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return new Granted(auth.getAuthNote(NOTE_KIND), auth.getAuthNote(NOTE_CASE));
    }

    /** A new token for the same grant (the spent one stays spent); returns it for the page. */
    static String renew(AuthenticationSessionModel auth) {
        String token = SecretGenerator.getInstance().randomString(TOKEN_LENGTH);
        auth.setAuthNote(NOTE_TOKEN, token);
        return token;
    }

    /** The step's picture is stored: this screen takes no more. */
    static void revoke(AuthenticationSessionModel auth) {
        auth.removeAuthNote(NOTE_TOKEN);
    }
}
