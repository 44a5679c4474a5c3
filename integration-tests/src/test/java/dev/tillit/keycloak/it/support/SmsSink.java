package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A local SMS gateway for the {@code http} SmsSender: records every JSON message POSTed to it,
 * and can be told to fail, so tests read codes the way a phone would receive them.
 */
public class SmsSink implements AutoCloseable {

    public record Sms(String to, String text, String authorization) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private final HttpServer server;
    private final List<Sms> received = new CopyOnWriteArrayList<>();
    /** Every message POSTed, delivered or refused with the status set by {@link #answer}: to whom, and the answer. */
    private final List<Map.Entry<String, Integer>> attempts = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile long delayMillis;

    private final boolean https;

    public SmsSink() {
        this(null);
    }

    /**
     * Over HTTPS with this TLS context (null: plain HTTP). A production-mode server accepts only an
     * https:// gateway, so the cluster tests give it this sink's certificate to trust.
     */
    public SmsSink(javax.net.ssl.SSLContext tls) {
        this.https = tls != null;
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 0);
            } else {
                com.sun.net.httpserver.HttpsServer secure = com.sun.net.httpserver.HttpsServer.create(loopback, 0);
                secure.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = secure;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/sms", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // a slow gateway: answers late, but answers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            attempts.add(Map.entry(body.path("to").asText(), answer));
            if (answer < 300) {
                received.add(new Sms(body.path("to").asText(), body.path("text").asText(),
                        exchange.getRequestHeaders().getFirst("Authorization")));
            }
            byte[] reply = (answer < 300 ? "{\"id\":\"m-" + received.size() + "\"}" : "{\"error\":\"gateway down\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        // Several threads: a slow answer to one message must not hold up the next.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    /** From now on answer every message with this HTTP status (200 = accept). */
    public void answer(int status) {
        this.status = status;
    }

    /** From now on answer every message only after {@code millis}. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** The HTTP statuses this sink answered to messages for {@code number}, delivered or not, in order. */
    public List<Integer> answersTo(String number) {
        return attempts.stream().filter(a -> a.getKey().equals(number)).map(Map.Entry::getValue).toList();
    }

    /** Delivered messages to {@code number} (answered below 300). */
    public List<Sms> to(String number) {
        return received.stream().filter(s -> s.to().equals(number)).toList();
    }

    /** Waits for the {@code n}-th message (1-based) to {@code number}. */
    public Sms await(String number, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<Sms> messages = to(number);
            if (messages.size() >= n) {
                return messages.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no SMS #" + n + " to " + number + "; received: " + received);
    }

    /** The codes sent to {@code number} so far (notices left out). */
    public List<String> codesTo(String number) {
        return to(number).stream().map(Sms::text).filter(t -> CODE.matcher(t).find()).map(SmsSink::codeIn).toList();
    }

    /**
     * Waits for the {@code n}-th message (1-based) to {@code number} that carries a code, and
     * returns the code; notices in between (e.g. a withdrawal-lock SMS) are skipped.
     */
    public String awaitCode(String number, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> codes = to(number).stream().map(Sms::text).filter(t -> CODE.matcher(t).find())
                    .map(SmsSink::codeIn).toList();
            if (codes.size() >= n) {
                return codes.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no code #" + n + " to " + number + "; received: " + received);
    }

    public static String codeIn(String text) {
        Matcher m = CODE.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no 6-digit code in: " + text);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
