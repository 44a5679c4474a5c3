package dev.tillit.keycloak.sms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSmsSenderTest {

    private static final String TO = "+46701234567";
    private static final String TEXT = "Din kod är 123456";
    private static final String SECRET = "hmac-key-0123456789";
    private static final Instant NOW = Instant.ofEpochSecond(1767225600);

    private FakeGateway gateway;
    private HttpSmsSender sender;

    @BeforeEach
    void start() throws IOException {
        gateway = new FakeGateway();
        sender = new HttpSmsSender(new GatewayHttp(), new ObjectMapper(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private SmsGateway settings(String sender, Map<String, String> options) {
        return new SmsGateway(gateway.url("/sms"), SECRET, sender, Duration.ofSeconds(5), options);
    }

    @Test
    void postsTheExactJsonBody() throws Exception {
        sender.send(settings("Tillit", Map.of()), TO, TEXT);

        FakeGateway.Received request = gateway.only();
        assertEquals("POST", request.method());
        assertEquals("/sms", request.path());
        assertEquals("application/json", request.header("Content-Type"));
        assertArrayEquals(("{\"to\":\"+46701234567\",\"from\":\"Tillit\",\"text\":\"Din kod är 123456\"}").getBytes(UTF_8),
                request.body(), request.bodyText());
    }

    @Test
    void fromIsNullWithoutASender() throws Exception {
        sender.send(settings(null, Map.of()), TO, "Code: \"42\"");

        assertEquals("{\"to\":\"+46701234567\",\"from\":null,\"text\":\"Code: \\\"42\\\"\"}", gateway.only().bodyText());
    }

    @Test
    void bearerIsTheDefault() throws Exception {
        sender.send(settings("Tillit", Map.of()), TO, TEXT);

        FakeGateway.Received request = gateway.only();
        assertEquals("Bearer " + SECRET, request.header("Authorization"));
        assertNull(request.header("X-Tillit-Signature"));
        assertNull(request.header("X-Tillit-Timestamp"));
    }

    @Test
    void hmacSignsTimestampDotBody() throws Exception {
        sender.send(settings("Tillit", Map.of("auth", "hmac")), TO, TEXT);

        FakeGateway.Received request = gateway.only();
        assertNull(request.header("Authorization"), "the secret must not travel with hmac");
        assertEquals("1767225600", request.header("X-Tillit-Timestamp"));
        String signature = request.header("X-Tillit-Signature");

        // As a gateway would verify it: over the timestamp header and the bytes received.
        assertEquals("sha256=" + hmacSha256Hex(SECRET, request.header("X-Tillit-Timestamp") + "." + request.bodyText()),
                signature);
        // And against a value computed outside Java (Python's hmac module) for this exact request.
        assertEquals("sha256=b26f39c7d5413c2341a5c26546843efac61a1ed74f538efbb4c91424bc038925", signature);
    }

    @Test
    void hmacWithAnotherKeyOrTimestampDoesNotMatch() throws Exception {
        sender.send(settings("Tillit", Map.of("auth", "hmac")), TO, TEXT);

        FakeGateway.Received request = gateway.only();
        String signature = request.header("X-Tillit-Signature");
        assertNotEquals("sha256=" + hmacSha256Hex("wrong-key", "1767225600." + request.bodyText()), signature);
        assertNotEquals("sha256=" + hmacSha256Hex(SECRET, "1767225601." + request.bodyText()), signature);
        assertNotEquals("sha256=" + hmacSha256Hex(SECRET, "1767225600." + request.bodyText().replace("123456", "123457")),
                signature);
    }

    @Test
    void noneSendsNoCredentials() throws Exception {
        sender.send(settings("Tillit", Map.of("auth", "none")), TO, TEXT);

        FakeGateway.Received request = gateway.only();
        assertNull(request.header("Authorization"));
        assertNull(request.header("X-Tillit-Signature"));
    }

    @Test
    void serverErrorIsADeliveryFailureWithStatusAndBody() {
        gateway.answer(500, "{\"error\":\"upstream down\"}");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings("Tillit", Map.of()), TO, TEXT));
        assertEquals("SMS gateway 127.0.0.1 answered HTTP 500: {\"error\":\"upstream down\"}", e.getMessage());
    }

    @Test
    void errorMessageKeepsTheFirst200CharactersAndNeverTheSecret() {
        gateway.answer(401, "invalid token " + SECRET + " " + "x".repeat(500));

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings("Tillit", Map.of()), TO, TEXT));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        String excerpt = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        assertEquals("invalid token *** " + "x".repeat(200 - 18) + "...", excerpt);
    }

    @Test
    void redirectsAreNotFollowed() {
        gateway.answer(302, "");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings("Tillit", Map.of()), TO, TEXT));
        assertTrue(e.getMessage().contains("HTTP 302"), e.getMessage());
        assertEquals(1, gateway.received().size());
    }

    @Test
    void slowGatewayFailsWithinTheTimeout() {
        gateway.delay(10_000);
        SmsGateway settings = new SmsGateway(gateway.url("/sms"), SECRET, null, Duration.ofMillis(1000), Map.of());

        long start = System.nanoTime();
        SmsDeliveryException e = assertThrows(SmsDeliveryException.class, () -> sender.send(settings, TO, TEXT));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals("SMS gateway 127.0.0.1: no answer within 1000 ms", e.getMessage());
        // The sender gave up at its own timeout, not when the gateway answered (10 s): connecting and
        // waiting for the answer are each bounded by the timeout, so at most twice it, plus 1.5 s for a busy machine.
        assertTrue(elapsedMillis >= 950 && elapsedMillis < 3_500, "took " + elapsedMillis + " ms");
    }

    @Test
    void unreachableGatewayIsADeliveryFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmsGateway settings = new SmsGateway("http://127.0.0.1:" + closedPort + "/sms", SECRET, null,
                Duration.ofSeconds(2), Map.of());

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class, () -> sender.send(settings, TO, TEXT));
        assertTrue(e.getMessage().startsWith("SMS gateway 127.0.0.1 unreachable"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/sms", "jar:file:/x.jar!/", "/relative/sms",
            "127.0.0.1:8080/sms", "http:///nohost", "not a url", " "})
    void nonHttpUrlsAreRefused(String url) {
        SmsGateway settings = new SmsGateway(url, SECRET, null, Duration.ofSeconds(1), Map.of());

        // Refused by the URL check itself, before any connection: not "unreachable", not an HTTP status.
        SmsDeliveryException refused = assertThrows(SmsDeliveryException.class, () -> sender.send(settings, TO, TEXT));
        assertTrue(refused.getMessage().startsWith("SMS gateway URL "), refused.getMessage());
    }

    @Test
    void httpsAndUppercaseSchemesAreAccepted() throws Exception {
        assertEquals("https", GatewayHttp.checkedUri("https://sms.example/send").getScheme());
        sender.send(new SmsGateway(gateway.url("/sms").replace("http:", "HTTP:"), SECRET, null,
                Duration.ofSeconds(5), Map.of()), TO, TEXT);
        assertEquals(1, gateway.received().size());
    }

    @Test
    void unknownAuthIsRefusedBeforeSending() {
        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings("Tillit", Map.of("auth", "basic")), TO, TEXT));
        assertTrue(e.getMessage().contains("unknown auth 'basic'"), e.getMessage());
        assertEquals(0, gateway.received().size());
    }

    @Test
    void bearerOrHmacWithoutSecretIsRefusedBeforeSending() {
        for (String auth : new String[] {"bearer", "hmac"}) {
            SmsGateway settings = new SmsGateway(gateway.url("/sms"), null, null, Duration.ofSeconds(1), Map.of("auth", auth));
            assertThrows(SmsDeliveryException.class, () -> sender.send(settings, TO, TEXT), auth);
        }
        assertEquals(0, gateway.received().size());
    }

    private static String hmacSha256Hex(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data.getBytes(UTF_8)));
    }
}
