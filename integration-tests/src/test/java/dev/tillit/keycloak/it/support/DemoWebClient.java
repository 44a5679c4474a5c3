package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays the exchange's web front end, the realm's public client {@code demo-web}: an
 * authorization-code flow with PKCE whose redirect lands on a real listener at
 * http://localhost:3000/callback, then the code is exchanged for tokens at the token endpoint.
 */
public class DemoWebClient implements AutoCloseable {

    public static final String CLIENT_ID = "demo-web";
    public static final String REDIRECT_URI = "http://localhost:3000/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String realmUrl;
    private final HttpServer server;
    private final String verifier;
    private final String state;
    private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();

    public DemoWebClient(String realmUrl) {
        this.realmUrl = realmUrl;
        this.verifier = Pkce.verifier();
        this.state = Pkce.random(16);
        try {
            server = HttpServer.create(new InetSocketAddress(3000), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("port 3000 (demo-web's redirect) is taken", e);
        }
        server.createContext("/callback", exchange -> {
            callback.complete(query(exchange.getRequestURI().getRawQuery()));
            byte[] body = "<html><body><h1 id='signed-in'>Signed in to the demo web app</h1></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /**
     * The URL a browser opens to sign in. {@code locale} (may be null) travels as OIDC's
     * {@code ui_locales}: Keycloak treats {@code kc_locale} as internal to its login pages.
     */
    public String authorizationUrl(String locale) {
        String url = realmUrl + "/protocol/openid-connect/auth?response_type=code&scope=openid"
                + "&client_id=" + CLIENT_ID
                + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&state=" + state
                + "&code_challenge_method=S256&code_challenge=" + Pkce.challenge(verifier);
        return locale == null ? url : url + "&ui_locales=" + locale;
    }

    /** Whether the browser has come back to the client (with an authorization code or an error). */
    public boolean calledBack() {
        return callback.isDone();
    }

    /** Waits for the browser to arrive at the callback and redeems the code; returns the token response. */
    public JsonNode awaitTokens() throws Exception {
        Map<String, String> params = callback.get(20, TimeUnit.SECONDS);
        if (!state.equals(params.get("state"))) {
            throw new IllegalStateException("state mismatch: " + params);
        }
        if (params.containsKey("error")) {
            throw new IllegalStateException("authorization error: " + params);
        }
        String form = "grant_type=authorization_code&client_id=" + CLIENT_ID
                + "&code=" + enc(params.get("code"))
                + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&code_verifier=" + verifier;
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The claims of a JWT (the signature is the server's business; these tests read what it issued). */
    public static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    result.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
