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
 * publishes the key at {@code /jwks}. It plays two vendors, each as its documentation describes it:
 * <ul>
 * <li>Google as its SDK hands id_tokens to the mobile app ({@link #androidIdToken}: on Android,
 * Credential Manager asks with the <em>web</em> (server) client id, so {@code aud} is the web client id
 * and {@code azp} the Android client id; https://developer.android.com/identity/sign-in/credential-manager-siwg,
 * https://developers.google.com/identity/openid-connect/openid-connect);</li>
 * <li>Telegram's OpenID Connect login (https://core.telegram.org/bots/telegram-login): {@code /auth} sends
 * the browser back with a code; {@code /token} takes the bot's client id and secret in HTTP Basic
 * authentication only, checks PKCE (S256), and answers with an id_token that carries <em>no</em> nonce
 * (Telegram's documentation has none); with {@link #publishTelegramKeys} the JWKS also lists keys for the
 * other algorithms a bot may choose in BotFather (ES256K, EdDSA), as Telegram's does.</li>
 * </ul>
 * A test mints a token ({@link #idToken}) or sets the next sign-in ({@link #next}) wrong in one way
 * ({@link Forge}) to see it refused.
 */
public class OidcStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KID = "oidc-standin-1";
    private static final String ES256K_KID = "oidc-standin-es256k";

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
    private volatile boolean echoNonce;
    private volatile boolean google;
    private volatile boolean telegramKeys;
    private final KeyPair ed25519 = ed25519();

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
        if (nonce != null || how == Forge.WRONG_NONCE) {
            claims.put("nonce", how == Forge.WRONG_NONCE ? "not-the-nonce" : nonce);
        }
        extra.forEach((k, v) -> claims.putPOJO(k, v));
        return switch (how) {
            case ALG_NONE -> b64(JSON.createObjectNode().put("alg", "none").put("kid", KID).toString()) + "." + b64(claims.toString()) + ".";
            case UNKNOWN_KID -> jws(claims, "unknown-kid", signing);
            // What a bot set to ES256K in BotFather gets: secp256k1, which the JDK cannot sign; the header is what is refused.
            case ES256K -> b64(JSON.createObjectNode().put("alg", "ES256K").put("kid", ES256K_KID).put("typ", "JWT").toString()) + "."
                    + b64(claims.toString()) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
            case OTHER_SIGNER -> jws(claims, KID, stranger);
            default -> jws(claims, KID, signing);
        };
    }

    /**
     * Google's id_token as Android's Credential Manager hands it to the app: {@code aud} the web (server)
     * client id the app asked with, {@code azp} the Android app's own client id.
     */
    public String androidIdToken(String sub, String webClientId, String androidClientId, String nonce, Map<String, Object> extra, Forge how) {
        Map<String, Object> claims = new java.util.HashMap<>(extra);
        claims.put("azp", androidClientId);
        return idToken(sub, webClientId, nonce, claims, how);
    }

    /** Telegram's JWKS lists a key per algorithm a bot may choose (RS256, ES256K, EdDSA); this one then does too. */
    public void publishTelegramKeys() {
        this.telegramKeys = true;
    }

    /** Whether the next id_tokens from {@code /token} carry the nonce of the authorization request (Telegram's never do). */
    /**
     * Behave as Google's own OpenID Connect endpoints (https://developers.google.com/identity/openid-connect/openid-connect,
     * "Exchange code for access token and ID token"): the code is exchanged with {@code client_id} and
     * {@code client_secret} in the body (HTTP Basic is accepted too), and the id_token carries the nonce the
     * authorization request sent.
     */
    public void actAsGoogle() {
        this.google = true;
        this.echoNonce = true;
    }

    public void echoNonce(boolean echo) {
        this.echoNonce = echo;
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
        if (!"code".equals(q.get("response_type")) || !java.util.Objects.equals(clientId, q.get("client_id"))
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
        // Telegram's page: the client authenticates with HTTP Basic (client id : client secret); a secret
        // in the body is not how Telegram's token endpoint is called (RFC 6749 §2.3: one method per request).
        String[] basic = basic(exchange.getRequestHeaders().getFirst("Authorization"));
        boolean googlePost = google && basic == null && java.util.Objects.equals(clientId, f.get("client_id"))
                && java.util.Objects.equals(clientSecret, f.get("client_secret"));
        if (googlePost) {
            basic = new String[] {clientId, clientSecret};
            f = new java.util.HashMap<>(f);
            f.remove("client_secret");
        }
        if (basic == null || !java.util.Objects.equals(clientId, basic[0]) || !java.util.Objects.equals(clientSecret, basic[1])
                || f.containsKey("client_secret") || (f.containsKey("client_id") && !java.util.Objects.equals(clientId, f.get("client_id")))) {
            problems.add("token: client authentication " + (basic == null ? "without HTTP Basic" : "as " + basic[0])
                    + (f.containsKey("client_secret") ? ", client_secret in the body" : ""));
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token\"");
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
        String idToken = idToken(sub, clientId, echoNonce ? pending.nonce() : null, claims, pending.forge());
        ObjectNode answer = JSON.createObjectNode().put("access_token", "a" + java.util.UUID.randomUUID()).put("token_type", "Bearer")
                .put("expires_in", 3600).put("id_token", idToken);
        StandInHttp.send(exchange, 200, "application/json", answer.toString());
    }

    /** The id and secret of an HTTP Basic header, each form-urlencoded before base64 as RFC 6749 §2.3.1 says; null if none. */
    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? null : new String[] {java.net.URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)};
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
        com.fasterxml.jackson.databind.node.ArrayNode list = jwks.putArray("keys").add(jwk);
        if (telegramKeys) {
            // secp256k1's generator point: a valid ES256K public key (the JDK cannot make secp256k1 keys).
            list.add(JSON.createObjectNode().put("kty", "EC").put("use", "sig").put("alg", "ES256K").put("kid", ES256K_KID).put("crv", "secp256k1")
                    .put("x", "eb5mfvncu6xVoGKVzocLBwKb_NstzijZWfKBWxb4F5g").put("y", "SDradyajxGVdpPv8DhEIqP0XtEimhVQZnEfQj_sQ1Lg"));
            byte[] ed = ed25519.getPublic().getEncoded();
            list.add(JSON.createObjectNode().put("kty", "OKP").put("use", "sig").put("alg", "EdDSA").put("kid", "oidc-standin-eddsa").put("crv", "Ed25519")
                    .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(ed, ed.length - 32, ed.length))));
        }
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

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
