package dev.tillit.keycloak.broker.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.keys.loader.PublicKeyStorageManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.IDToken;

/**
 * The checks an id_token that the app got from Apple's or Google's SDK must pass before it stands for
 * a person: the browser path's checks, with the app's audiences. Signature with a key from the
 * provider's JWKS whose {@code kid} and algorithm match the header ({@code alg: none}, HMAC and an
 * unknown {@code kid} find no key); issuer; audience; {@code exp} present and not passed, {@code iat}
 * not in the future; {@code sub} and {@code nonce} present, and the nonce the app sent equal to the
 * token's (or its SHA-256 in hex, as Apple's and Firebase's samples do); the hosted domain when the
 * provider names one.
 *
 * <p>The audience, as Google documents it for apps that send their id_token to a backend
 * (https://developers.google.com/identity/gsi/web/guides/verify-google-id-token: {@code aud} is one of
 * your app's client ids; https://developer.android.com/identity/sign-in/credential-manager-siwg: Android
 * asks for the token with the <em>web</em> (server) client id; https://developers.google.com/identity/openid-connect/openid-connect:
 * {@code azp} is then the client it was issued to, the Android app's): either {@code aud} is one of the
 * app's client ids (Apple's bundle id; Google's iOS client id), or {@code aud} is the provider's own client
 * id (Google's web client id) and {@code azp} one of the app's client ids. An {@code azp} that is present
 * must always be one of the app's: a token Google issued to our website ({@code azp} = the web client id)
 * is not the app's sign-in.
 */
final class ProviderIdToken {

    /** Asymmetric algorithms only: a provider's public JWKS can never verify an HMAC. */
    private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final int CLOCK_SKEW = 30;
    /** Google's claim for the Workspace domain of the account. */
    static final String HOSTED_DOMAIN = "hd";

    /** Why a token was refused; the message is for the log and the event, never the token itself. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private ProviderIdToken() {
    }

    /**
     * @param appClientIds the app's own client ids ({@code appAudiences}); the provider's client id is never one of them
     * @param hostedDomain the provider's {@code hostedDomain} setting (Google), or null
     */
    static IDToken verify(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig config, List<String> appClientIds,
                          String hostedDomain, String encoded, String nonce) throws Refused {
        JWSInput jws;
        IDToken token;
        try {
            jws = new JWSInput(encoded);
            token = jws.readJsonContent(IDToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw new Refused("not a JWS");
        }
        String alg = jws.getHeader().getRawAlgorithm();
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw new Refused("algorithm " + alg + " not accepted");
        }
        KeyWrapper key = PublicKeyStorageManager.getIdentityProviderKeyWrapper(session, realm, config, jws);
        if (key == null) {
            throw new Refused("no key " + jws.getHeader().getKeyId() + " in the provider's JWKS");
        }
        if (key.getAlgorithm() != null && !alg.equals(key.getAlgorithm())) {
            throw new Refused("key " + key.getKid() + " is for " + key.getAlgorithm() + ", token says " + alg);
        }
        SignatureProvider signatures = session.getProvider(SignatureProvider.class, alg);
        try {
            if (signatures == null || !signatures.verifier(key).verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.UTF_8),
                    jws.getSignature())) {
                throw new Refused("signature does not verify");
            }
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused("signature does not verify: " + e.getMessage());
        }
        if (!issuerMatches(config.getIssuer(), token.getIssuer())) {
            throw new Refused("issuer " + token.getIssuer());
        }
        String audienceProblem = audienceProblem(token.getAudience(), token.getIssuedFor(), config.getClientId(), appClientIds);
        if (audienceProblem != null) {
            throw new Refused(audienceProblem);
        }
        if (!hostedDomainMatches(hostedDomain, token.getOtherClaims().get(HOSTED_DOMAIN))) {
            throw new Refused("hosted domain " + token.getOtherClaims().get(HOSTED_DOMAIN));
        }
        long now = Time.currentTime();
        if (token.getExp() == null || token.getExp() + CLOCK_SKEW < now) {
            throw new Refused("expired or without exp");
        }
        if (token.getIat() != null && token.getIat() - CLOCK_SKEW > now) {
            throw new Refused("issued in the future");
        }
        if (token.getSubject() == null || token.getSubject().isBlank()) {
            throw new Refused("no sub");
        }
        if (token.getNonce() == null || nonce == null || nonce.isBlank()
                || !(constantTimeEquals(token.getNonce(), nonce) || constantTimeEquals(token.getNonce(), sha256Hex(nonce)))) {
            throw new Refused("nonce mismatch");
        }
        return token;
    }

    /**
     * Why {@code aud} and {@code azp} do not make the token the app's (see the class comment), or null.
     * The provider's own (web) client id is never one of the app's, even when listed among them.
     */
    static String audienceProblem(String[] audience, String presenter, String serverClientId, List<String> appClientIds) {
        List<String> auds = audience == null ? List.of() : List.of(audience);
        List<String> apps = appClientIds.stream().filter(id -> !id.equals(serverClientId)).toList();
        boolean forApp = auds.stream().anyMatch(apps::contains);
        boolean forServer = serverClientId != null && auds.contains(serverClientId);
        if (!forApp && !forServer) {
            return "audience " + String.join(",", auds);
        }
        if ((forServer && !forApp && presenter == null) || (presenter != null && !apps.contains(presenter))) {
            return "issued to " + presenter + ", not to one of the app's clients";
        }
        return null;
    }

    /**
     * Keycloak's Google provider's rule for its "Hosted domain" setting (GoogleIdentityProvider.validateToken,
     * 26.7): unset, empty or {@code *} accepts any account; otherwise the token's {@code hd} claim must be one
     * of the comma-separated domains. Google sets {@code hd} only for Workspace accounts
     * (https://developers.google.com/identity/gsi/web/guides/verify-google-id-token).
     */
    static boolean hostedDomainMatches(String hostedDomain, Object hd) {
        if (hostedDomain == null || hostedDomain.isEmpty() || "*".equals(hostedDomain)) {
            return true;
        }
        return hd != null && List.of(hostedDomain.split(",")).contains(hd);
    }

    /** Google signs with {@code https://accounts.google.com} or, in older tokens, without the scheme. */
    private static boolean issuerMatches(String configured, String actual) {
        if (configured == null || actual == null) {
            return false;
        }
        for (String issuer : configured.split(",")) {
            String expected = issuer.trim();
            if (expected.equals(actual) || ("https://accounts.google.com".equals(expected) && "accounts.google.com".equals(actual))) {
                return true;
            }
        }
        return false;
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
