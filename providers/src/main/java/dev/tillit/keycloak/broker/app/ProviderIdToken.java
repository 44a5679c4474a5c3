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
 * unknown {@code kid} find no key); issuer; audience one of the configured ones; {@code exp} present
 * and not passed, {@code iat} not in the future; {@code sub} and {@code nonce} present, and the nonce
 * the app sent equal to the token's (or its SHA-256 in hex, as Apple's and Firebase's samples do).
 */
final class ProviderIdToken {

    /** Asymmetric algorithms only: a provider's public JWKS can never verify an HMAC. */
    private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final int CLOCK_SKEW = 30;

    /** Why a token was refused; the message is for the log and the event, never the token itself. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private ProviderIdToken() {
    }

    static IDToken verify(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig config, List<String> audiences,
                          String encoded, String nonce) throws Refused {
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
        if (token.getAudience() == null || audiences.stream().noneMatch(token::hasAudience)) {
            throw new Refused("audience " + String.join(",", token.getAudience() == null ? new String[0] : token.getAudience()));
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
