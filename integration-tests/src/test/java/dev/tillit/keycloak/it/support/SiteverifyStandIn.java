package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for a widget vendor's siteverify endpoint (Cloudflare Turnstile's, which hCaptcha's
 * and reCAPTCHA's match): it takes the real request — a form-encoded POST of {@code secret},
 * {@code response}, {@code remoteip} — checks the secret, and answers in the vendor's JSON. The token
 * decides the answer: {@code yes-*} passes, {@code no-*} is refused, {@code slow-*} answers yes after
 * {@link #SLOW_MILLIS}, later than any timeout the tests set; anything else is refused.
 */
public class SiteverifyStandIn implements AutoCloseable {

    public static final long SLOW_MILLIS = 4000;

    /** What Keycloak sent. */
    public record Request(String secret, String response, String remoteip, String contentType) {
    }

    private final HttpServer server;
    private final String secret;
    private final List<Request> received = new CopyOnWriteArrayList<>();

    public SiteverifyStandIn(String secret) {
        this.secret = secret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/turnstile/v0/siteverify", exchange -> {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(new Request(form.get("secret"), form.get("response"), form.get("remoteip"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            String token = form.getOrDefault("response", "");
            String answer;
            if (!"POST".equals(exchange.getRequestMethod()) || !secret.equals(form.get("secret"))) {
                answer = "{\"success\":false,\"error-codes\":[\"invalid-input-secret\"]}";
            } else if (token.startsWith("yes-")) {
                answer = "{\"success\":true,\"error-codes\":[],\"challenge_ts\":\"2026-11-26T12:00:00.000Z\","
                        + "\"hostname\":\"localhost\",\"action\":\"\",\"cdata\":\"\"}";
            } else if (token.startsWith("slow-")) {
                try {
                    Thread.sleep(SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer = "{\"success\":true,\"error-codes\":[]}";
            } else {
                answer = "{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                // The caller gave up waiting (the timeout test): nothing to answer to.
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/turnstile/v0/siteverify";
    }

    public List<Request> received() {
        return List.copyOf(received);
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The vault-backed secret the realm is given, as the Tillit tab stores it. */
    public String secret() {
        return secret;
    }
}
