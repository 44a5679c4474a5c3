package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * The exchange's end of the KYC decision webhook: records every POST, checks its
 * {@code X-Tillit-Signature} as a receiver must (HMAC-SHA256 of the raw body, constant-time
 * compare), and answers 503 to the first {@code downFor} requests, as a receiver that is down.
 * Deliveries are handled one at a time, in order.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String body, String signature, String delivery, boolean signatureValid, int answered) {
    }

    private final HttpServer server;
    private final String secret;
    private final AtomicInteger downFor;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** {@code slowFirstMillis}: how long the first answer takes (a receiver that hangs before it fails). */
    public WebhookReceiver(String secret, int downFor, long slowFirstMillis) throws IOException {
        this.secret = secret;
        this.downFor = new AtomicInteger(downFor);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/kyc-decisions", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String signature = exchange.getRequestHeaders().getFirst("X-Tillit-Signature");
            boolean valid = signature != null && MessageDigest.isEqual(
                    signature.getBytes(StandardCharsets.US_ASCII), ("sha256=" + hmac(secret, body)).getBytes(StandardCharsets.US_ASCII));
            if (received.isEmpty() && slowFirstMillis > 0) {
                try {
                    Thread.sleep(slowFirstMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = this.downFor.getAndDecrement() > 0 ? 503 : valid ? 200 : 401;
            received.add(new Received(new String(body, StandardCharsets.UTF_8), signature,
                    exchange.getRequestHeaders().getFirst("X-Tillit-Delivery"), valid, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/kyc-decisions";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} requests arrived (or 30 s passed); returns what arrived. */
    public List<Received> await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return received();
    }

    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
