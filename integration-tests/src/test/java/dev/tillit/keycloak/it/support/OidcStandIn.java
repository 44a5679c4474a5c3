package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tillit.keycloak.it.support.AppleStandIn.Forge;

/**
 * An OpenID Connect provider on localhost that signs id_tokens with its own RSA key (RS256) and
 * publishes the key at {@code /jwks} — Google as its SDK hands id_tokens to the mobile app, or
 * Telegram's OIDC login: {@code /auth} sends the browser back with a code, {@code /token} checks the
 * client id and secret and PKCE (S256) and answers with an id_token carrying the request's nonce.
 * A test mints a token ({@link #idToken}) or sets the next sign-in ({@link #next}) wrong in one way
 * ({@link Forge}) to see it refused.
 */
public class OidcStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KID = "oidc-standin-1";

    private final int port;
    private final HttpServer server;
    private final KeyPair signing = rsa();
    private final KeyPair stranger = rsa();
    private final Map<String, Pending> codes = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.List<String> problems = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private volatile String clientId;
    private volatile String clientSecret;
    private volatile Map<String, Object> nextClaims = Map.of();
    private volatile Forge nextForge = Forge.NONE;

    private record Pending(Map<String, Object> claims, Forge forge, String nonce, String challenge) {
    }

    public OidcStandIn(int port) {
        this.port = port;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (OIDC stand-in) is taken", e);
        }
        server.createContext("/jwks", this::keys);
        server.createContext("/auth", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    public String issuer() {
        return "http://localhost:" + port;
    }

    public String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** A signed id_token for {@code sub}, with {@code extra} claims (email...), wrong as {@code how} says. */
    public String idToken(String sub, String audience, String nonce, Map<String, Object> extra, Forge how) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", how == Forge.WRONG_ISSUER ? issuer() + ".evil.example" : issuer());
        claims.put("aud", how == Forge.WRONG_AUDIENCE ? "someone-else.apps.example" : audience);
        claims.put("exp", how == Forge.EXPIRED ? now - 600 : now + 600);
        claims.put("iat", how == Forge.EXPIRED ? now - 1200 : now);
        claims.put("sub", sub);
        if (nonce != null) {
            claims.put("nonce", how == Forge.WRONG_NONCE ? "not-the-nonce" : nonce);
        }
        extra.forEach((k, v) -> claims.putPOJO(k, v));
        return switch (how) {
            case ALG_NONE -> b64(JSON.createObjectNode().put("alg", "none").put("kid", KID).toString()) + "." + b64(claims.toString()) + ".";
            case UNKNOWN_KID -> jws(claims, "unknown-kid", signing);
            case OTHER_SIGNER -> jws(claims, KID, stranger);
            default -> jws(claims, KID, signing);
        };
    }

    /** The OIDC client Keycloak must authenticate as at {@code /token}. */
    public void expectClient(String id, String secret) {
        this.clientId = id;
        this.clientSecret = secret;
    }

    /** Who signs in next ({@code sub} and any claims, e.g. Telegram's {@code id}), and how the id_token is wrong. */
    public void next(Map<String, Object> claims, Forge how) {
        this.nextClaims = claims;
        this.nextForge = how;
    }

    /** What was wrong with the token requests Keycloak made (empty when all were right). */
    public java.util.List<String> problems() {
        return java.util.List.copyOf(problems);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = StandInHttp.form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(q.get("response_type")) || !java.util.Objects.equals(clientId, q.get("client_id")) || q.get("nonce") == null
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null || q.get("redirect_uri") == null) {
            problems.add("authorize: " + q);
            StandInHttp.send(exchange, 400, "text/plain", "invalid_request");
            return;
        }
        String code = "c" + java.util.UUID.randomUUID();
        codes.put(code, new Pending(nextClaims, nextForge, q.get("nonce"), q.get("code_challenge")));
        String back = q.get("redirect_uri") + (q.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                + "&state=" + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", back);
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = StandInHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!java.util.Objects.equals(clientId, f.get("client_id")) || !java.util.Objects.equals(clientSecret, f.get("client_secret"))) {
            problems.add("token: client " + f.get("client_id"));
            StandInHttp.send(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Pending pending = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (pending == null || !"authorization_code".equals(f.get("grant_type")) || f.get("code_verifier") == null
                || !pending.challenge().equals(s256(f.get("code_verifier")))) {
            problems.add("token: grant/PKCE " + f.keySet());
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        Map<String, Object> claims = new java.util.HashMap<>(pending.claims());
        String sub = String.valueOf(claims.remove("sub"));
        String idToken = idToken(sub, clientId, pending.nonce(), claims, pending.forge());
        ObjectNode answer = JSON.createObjectNode().put("access_token", "a" + java.util.UUID.randomUUID()).put("token_type", "Bearer")
                .put("expires_in", 3600).put("id_token", idToken);
        StandInHttp.send(exchange, 200, "application/json", answer.toString());
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void keys(HttpExchange exchange) throws IOException {
        RSAPublicKey pub = (RSAPublicKey) signing.getPublic();
        ObjectNode jwk = JSON.createObjectNode().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KID)
                .put("n", unsigned(pub.getModulus())).put("e", unsigned(pub.getPublicExponent()));
        ObjectNode jwks = JSON.createObjectNode();
        jwks.putArray("keys").add(jwk);
        byte[] bytes = jwks.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String jws(ObjectNode claims, String kid, KeyPair key) {
        try {
            String input = b64(JSON.createObjectNode().put("alg", "RS256").put("kid", kid).put("typ", "JWT").toString()) + "." + b64(claims.toString());
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (raw.length > 1 && raw[0] == 0) {
            raw = java.util.Arrays.copyOfRange(raw, 1, raw.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
