package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Apple's Sign in with Apple endpoints on localhost, speaking Apple's protocol: {@code /auth/authorize}
 * answers with an auto-submitting form that POSTs {@code code}, {@code state} and (first time only)
 * {@code user} back ({@code response_mode=form_post}); {@code /auth/token} checks the client secret —
 * an ES256 JWT that must be signed with the operator's key, {@code kid} = key id, {@code iss} = team id,
 * {@code sub} = services id, {@code aud} = issuer, unexpired — and returns an id_token signed with the
 * stand-in's own EC key, published at {@code /auth/keys}. A test can make the next id_token wrong in
 * one way ({@link Forge}) to see it refused.
 */
public class AppleStandIn implements AutoCloseable {

    public static final int PORT = 3200;
    public static final String ISSUER = "http://localhost:" + PORT;

    /**
     * Points the realm's Apple provider at this stand-in (client secret from the vault entry the tests
     * write, Apple's endpoints replaced), plus {@code extra} settings. Returns the provider as it
     * was, for {@link #restore}.
     */
    public static org.keycloak.representations.idm.IdentityProviderRepresentation pointAt(
            org.keycloak.testframework.realm.ManagedRealm realm, Map<String, String> extra) {
        var provider = realm.admin().identityProviders().get("apple");
        var asImported = provider.toRepresentation();
        var idp = provider.toRepresentation();
        Map<String, String> config = idp.getConfig();
        config.put("clientId", SERVICES_ID);
        config.put("clientSecret", "${vault." + VAULT_KEY + "}");
        config.put("teamId", TEAM_ID);
        config.put("keyId", KEY_ID);
        config.put("authorizationUrl", ISSUER + "/auth/authorize");
        config.put("tokenUrl", ISSUER + "/auth/token");
        config.put("jwksUrl", ISSUER + "/auth/keys");
        config.put("issuer", ISSUER);
        config.putAll(extra);
        provider.update(idp);
        return asImported;
    }

    /** Puts the realm's Apple provider back as {@link #pointAt} found it. */
    public static void restore(org.keycloak.testframework.realm.ManagedRealm realm,
                               org.keycloak.representations.idm.IdentityProviderRepresentation asImported) {
        realm.admin().identityProviders().get("apple").update(asImported);
    }
    public static final String SERVICES_ID = "dev.tillit.test.signin";
    /** The iOS app's bundle id: the audience of the id_tokens Apple's SDK gives the app. */
    public static final String BUNDLE_ID = "dev.tillit.test.app";
    public static final String TEAM_ID = "TESTTEAM01";
    public static final String KEY_ID = "TESTKEY001";
    public static final String VAULT_KEY = "apple-key";
    private static final String KID = "standin-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the next id_token is wrong. */
    public enum Forge { NONE, WRONG_AUDIENCE, EXPIRED, ALG_NONE, UNKNOWN_KID, WRONG_NONCE, WRONG_ISSUER, OTHER_SIGNER,
        /** Signed with ES256K (secp256k1), which a Telegram bot may be set to in BotFather (OIDC stand-in only). */
        ES256K }

    /** Who signs in next at Apple. */
    public record Person(String sub, String email, boolean emailVerified, String firstName, String lastName) {
    }

    private record Pending(Person person, String nonce, boolean firstTime) {
    }

    private final HttpServer server;
    private final KeyPair signing = ec();
    private final KeyPair stranger = ec();
    private final KeyPair operator = ec();
    private final Map<String, Pending> codes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> authorised = new ConcurrentHashMap<>();
    private final List<String> clientSecretProblems = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, Object>> clientSecrets = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final List<Map<String, String>> revocations = Collections.synchronizedList(new ArrayList<>());
    private volatile int revokeStatus = 200;
    private volatile Person next;
    private volatile Forge forge = Forge.NONE;

    public AppleStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        } catch (IOException e) {
            throw new IllegalStateException("port " + PORT + " (Apple stand-in) is taken", e);
        }
        server.createContext("/auth/authorize", this::authorize);
        server.createContext("/auth/token", this::token);
        server.createContext("/auth/keys", this::keys);
        server.createContext("/auth/revoke", this::revoke);
        server.start();
    }

    /** The operator's .p8 key (PKCS#8 PEM), which goes into the vault. */
    public String operatorKeyPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(operator.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    public void next(Person person, Forge how) {
        this.next = person;
        this.forge = how;
    }

    /** Problems found in the client secrets Keycloak sent (empty when every one was right). */
    public List<String> clientSecretProblems() {
        return List.copyOf(clientSecretProblems);
    }

    /** The claims of every client secret Keycloak sent. */
    public List<Map<String, Object>> clientSecrets() {
        return List.copyOf(clientSecrets);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = StandInHttp.form(exchange.getRequestURI().getRawQuery());
        if (!"form_post".equals(q.get("response_mode")) || !SERVICES_ID.equals(q.get("client_id"))
                || !"code".equals(q.get("response_type")) || q.get("nonce") == null) {
            StandInHttp.send(exchange, 400, "text/plain", "invalid_request: " + q);
            return;
        }
        Person person = next;
        String code = "c" + UUID.randomUUID();
        boolean first = authorised.putIfAbsent(person.sub(), Boolean.TRUE) == null;
        codes.put(code, new Pending(person, q.get("nonce"), first));
        StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Apple</title></head><body>")
                .append("<form id=\"apple-form\" method=\"post\" action=\"").append(esc(q.get("redirect_uri"))).append("\">")
                .append(hidden("state", q.get("state"))).append(hidden("code", code));
        if (first) {
            ObjectNode user = JSON.createObjectNode();
            user.putObject("name").put("firstName", person.firstName()).put("lastName", person.lastName());
            if (person.email() != null) {
                user.put("email", person.email());
            }
            html.append(hidden("user", user.toString()));
        }
        html.append("</form><script>document.getElementById('apple-form').submit();</script></body></html>");
        StandInHttp.send(exchange, 200, "text/html; charset=utf-8", html.toString());
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = StandInHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String problem = checkClientSecret(f.get("client_id"), f.get("client_secret"));
        if (problem != null) {
            clientSecretProblems.add(problem);
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Pending pending = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (!"authorization_code".equals(f.get("grant_type")) || pending == null) {
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        String idToken = idToken(pending.person(), SERVICES_ID, pending.nonce(), forge);
        String refreshToken = "r" + UUID.randomUUID();
        refreshTokens.put(pending.person().sub(), refreshToken);
        ObjectNode answer = JSON.createObjectNode().put("access_token", "a" + UUID.randomUUID()).put("token_type", "Bearer")
                .put("expires_in", 3600).put("refresh_token", refreshToken).put("id_token", idToken);
        StandInHttp.send(exchange, 200, "application/json", answer.toString());
    }

    /** The refresh token last issued for {@code sub}. */
    public String refreshTokenOf(String sub) {
        return refreshTokens.get(sub);
    }

    /** Every revoke request: its form fields, and {@code problem} when its client secret was wrong. */
    public List<Map<String, String>> revocations() {
        return List.copyOf(revocations);
    }

    /** The status {@code /auth/revoke} answers with (200 as Apple; e.g. 503 to see a failure handled). */
    public void revokeAnswers(int status) {
        this.revokeStatus = status;
    }

    /** Apple's {@code /auth/revoke}: client_id, the client-secret JWT, token and token_type_hint. */
    private void revoke(HttpExchange exchange) throws IOException {
        Map<String, String> f = StandInHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String problem = checkClientSecret(f.get("client_id"), f.get("client_secret"));
        Map<String, String> seen = new HashMap<>(f);
        if (problem != null) {
            seen.put("problem", problem);
        }
        revocations.add(seen);
        if (problem != null) {
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        StandInHttp.send(exchange, revokeStatus, "text/plain", "");
    }

    private String checkClientSecret(String clientId, String secret) {
        if (!SERVICES_ID.equals(clientId) || secret == null) {
            return "client_id/secret missing: " + clientId;
        }
        String[] parts = secret.split("\\.");
        if (parts.length != 3) {
            return "client secret is not a JWS";
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            clientSecrets.add(JSON.convertValue(claims, Map.class));
            if (!"ES256".equals(header.path("alg").asText()) || !KEY_ID.equals(header.path("kid").asText())) {
                return "header " + header;
            }
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(operator.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "client secret signature does not verify with the operator's key";
            }
            long now = System.currentTimeMillis() / 1000;
            String aud = claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText();
            if (!TEAM_ID.equals(claims.path("iss").asText()) || !SERVICES_ID.equals(claims.path("sub").asText())
                    || !ISSUER.equals(aud) || claims.path("exp").asLong() <= now
                    || claims.path("exp").asLong() > now + 15_777_000 || claims.path("iat").asLong() > now + 60) {
                return "claims " + claims;
            }
            return null;
        } catch (Exception e) {
            return "client secret unreadable: " + e;
        }
    }

    /**
     * An id_token as Apple's SDK hands it to the app (audience: the app's bundle id), signed like
     * {@code /auth/token}'s, wrong in the way {@code how} says.
     */
    public String idToken(Person person, String audience, String nonce, Forge how) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", how == Forge.WRONG_ISSUER ? "https://appleid.apple.com.evil.example" : ISSUER);
        claims.put("aud", how == Forge.WRONG_AUDIENCE ? "com.someone.else" : audience);
        claims.put("exp", how == Forge.EXPIRED ? now - 600 : now + 600);
        claims.put("iat", how == Forge.EXPIRED ? now - 1200 : now);
        claims.put("sub", person.sub());
        claims.put("nonce", how == Forge.WRONG_NONCE ? "not-the-nonce" : nonce);
        claims.put("auth_time", now);
        if (person.email() != null) {
            claims.put("email", person.email());
            claims.put("email_verified", String.valueOf(person.emailVerified()));
            claims.put("is_private_email", String.valueOf(person.email().endsWith("@privaterelay.appleid.com")));
        }
        return switch (how) {
            case ALG_NONE -> b64(JSON.createObjectNode().put("alg", "none").put("kid", KID).toString()) + "." + b64(claims.toString()) + ".";
            case UNKNOWN_KID -> jws(claims, "unknown-kid", signing);
            case OTHER_SIGNER -> jws(claims, KID, stranger);
            default -> jws(claims, KID, signing);
        };
    }

    private void keys(HttpExchange exchange) throws IOException {
        ECPublicKey pub = (ECPublicKey) signing.getPublic();
        ObjectNode jwk = JSON.createObjectNode().put("kty", "EC").put("crv", "P-256").put("use", "sig").put("alg", "ES256")
                .put("kid", KID).put("x", coordinate(pub.getW().getAffineX())).put("y", coordinate(pub.getW().getAffineY()));
        ObjectNode jwks = JSON.createObjectNode();
        jwks.putArray("keys").add(jwk);
        StandInHttp.send(exchange, 200, "application/json", jwks.toString());
    }

    private static String jws(ObjectNode claims, String kid, KeyPair key) {
        try {
            String input = b64(JSON.createObjectNode().put("alg", "ES256").put("kid", kid).toString()) + "." + b64(claims.toString());
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\"/>";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
