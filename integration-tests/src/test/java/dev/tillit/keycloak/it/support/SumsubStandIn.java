package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Sumsub as far as Tillit talks to it (docs.sumsub.com): create applicant
 * ({@code POST /resources/applicants?levelName=}), find it by external user id
 * ({@code GET /resources/applicants/-;externalUserId=<id>/one}), add ID documents
 * ({@code POST /resources/applicants/<id>/info/idDoc}, multipart {@code metadata} + {@code content}),
 * request the check ({@code POST /resources/applicants/<id>/status/pending}). As Sumsub, it keeps one
 * applicant per {@code externalUserId} (a second create answers 409) and lets an applicant sent back
 * for resubmission (RED/RETRY) get new documents and be checked again
 * (docs.sumsub.com/reference/add-id-documents: "a new image will always be added"); after a final
 * rejection (RED/FINAL) it refuses a new check, as "applicants with reviewRejectType FINAL cannot
 * retry the verification process" (docs.sumsub.com/reference/reject-applicant). An applicant can be
 * deactivated (not while being checked), which leaves it out of the duplicate check
 * (docs.sumsub.com/reference/deactivate-applicant-profile). Every request must
 * carry {@code X-App-Token} and a valid {@code X-App-Access-Sig} (HMAC-SHA256 of ts + method +
 * path with query + body under the secret key, ts within a minute) or it is refused with 401, as
 * Sumsub refuses it. It records applicants and documents, can be "down" (503 to everything), and
 * sends {@code applicantReviewed} webhooks signed as Sumsub signs them ({@code X-Payload-Digest}).
 */
public final class SumsubStandIn implements AutoCloseable {

    public record Document(String idDocType, String country, String idDocSubType, String fileName, String contentType,
                           byte[] content) {
    }

    public static final class Applicant {
        public final String id;
        public final String externalUserId;
        public final String levelName;
        public final List<Document> documents = new CopyOnWriteArrayList<>();
        public volatile boolean checkRequested;
        /** How many times a check was requested (a resubmission asks again). */
        public final AtomicInteger checkRequests = new AtomicInteger();
        /** init, pending, completed (after a webhook), as Sumsub's reviewStatus. */
        public volatile String reviewStatus = "init";
        public volatile String reviewRejectType;
        /** Deactivated ({@code PATCH .../presence/deactivated}): kept, but out of duplicate checks. */
        public volatile boolean deactivated;

        Applicant(String id, String externalUserId, String levelName) {
            this.id = id;
            this.externalUserId = externalUserId;
            this.levelName = levelName;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern DOCS = Pattern.compile("/resources/applicants/([0-9a-f]+)/info/idDoc");
    private static final Pattern PENDING = Pattern.compile("/resources/applicants/([0-9a-f]+)/status/pending");
    private static final Pattern DEACTIVATE = Pattern.compile("/resources/applicants/([0-9a-f]+)/presence/deactivated");
    private static final Pattern BY_EXTERNAL = Pattern.compile("/resources/applicants/-;externalUserId=([^/]+)/one");

    private final HttpServer server;
    private final String appToken;
    private final String secretKey;
    private final String webhookSecret;
    private final Map<String, Applicant> applicants = new LinkedHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refusedSignatures = new AtomicInteger();
    private final AtomicInteger answeredDown = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    public SumsubStandIn(String appToken, String secretKey, String webhookSecret) throws IOException {
        this.appToken = appToken;
        this.secretKey = secretKey;
        this.webhookSecret = webhookSecret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/resources/applicants", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** While down, every request is answered 503 and nothing is recorded. */
    public void down(boolean isDown) {
        down.set(isDown);
    }

    public int answeredDown() {
        return answeredDown.get();
    }

    /** Requests refused for a missing or wrong token or signature. */
    public int refusedSignatures() {
        return refusedSignatures.get();
    }

    public synchronized List<Applicant> applicantsOf(String externalUserId) {
        return applicants.values().stream().filter(a -> a.externalUserId.equals(externalUserId)).toList();
    }

    /** Waits (up to {@code seconds}) for the check of {@code externalUserId}'s applicant to be requested. */
    public Applicant awaitCheckRequested(String externalUserId, int seconds) throws InterruptedException {
        return awaitCheckRequests(externalUserId, 1, seconds);
    }

    /** Waits (up to {@code seconds}) for the {@code n}-th check request of {@code externalUserId}'s applicant. */
    public Applicant awaitCheckRequests(String externalUserId, int n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Applicant> found = applicantsOf(externalUserId);
            if (!found.isEmpty() && found.get(0).checkRequests.get() >= n) {
                return found.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Sumsub stand-in: no check request #" + n + " for " + externalUserId + " within " + seconds + " s");
    }

    /** Waits (up to {@code seconds}) for {@code a} to be deactivated. */
    public void awaitDeactivated(Applicant a, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!a.deactivated) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Sumsub stand-in: applicant " + a.id + " not deactivated within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (down.get()) {
                answeredDown.incrementAndGet();
                answer(exchange, 503, Map.of("description", "Service unavailable", "code", 503));
                return;
            }
            URI uri = exchange.getRequestURI();
            String pathWithQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String method = exchange.getRequestMethod();
            if (!signatureValid(exchange, method, pathWithQuery, body)) {
                refusedSignatures.incrementAndGet();
                answer(exchange, 401, Map.of("description", "Request signature mismatch", "code", 401));
                return;
            }
            String path = uri.getRawPath();
            Matcher m;
            if (method.equals("POST") && path.equals("/resources/applicants")) {
                create(exchange, uri.getRawQuery(), body);
            } else if (method.equals("GET") && (m = BY_EXTERNAL.matcher(path)).matches()) {
                List<Applicant> found = applicantsOf(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)).stream()
                        .filter(a -> !a.deactivated).toList();
                if (found.isEmpty()) {
                    answer(exchange, 404, Map.of("description", "Applicant not found", "code", 404));
                } else {
                    answer(exchange, 200, representation(found.get(0)));
                }
            } else if (method.equals("POST") && (m = DOCS.matcher(path)).matches()) {
                addDocument(exchange, applicant(m.group(1)), body);
            } else if (method.equals("PATCH") && (m = DEACTIVATE.matcher(path)).matches()) {
                // docs.sumsub.com/reference/deactivate-applicant-profile: not while it is being checked.
                Applicant a = applicant(m.group(1));
                if (a == null) {
                    answer(exchange, 404, Map.of("description", "Applicant not found", "code", 404));
                } else if (List.of("pending", "queued", "prechecked").contains(a.reviewStatus)) {
                    answer(exchange, 400, Map.of("description", "Applicant is being checked", "code", 400));
                } else {
                    a.deactivated = true;
                    Map<String, Object> out = representation(a);
                    out.put("deleted", true);
                    answer(exchange, 200, out);
                }
            } else if (method.equals("POST") && (m = PENDING.matcher(path)).matches()) {
                Applicant a = applicant(m.group(1));
                if (a == null) {
                    answer(exchange, 404, Map.of("description", "Applicant not found", "code", 404));
                    return;
                }
                if ("completed".equals(a.reviewStatus) && "FINAL".equals(a.reviewRejectType)) {
                    answer(exchange, 400, Map.of("description", "Applicant was finally rejected", "code", 400));
                    return;
                }
                a.reviewStatus = "pending";
                a.checkRequested = true;
                a.checkRequests.incrementAndGet();
                answer(exchange, 200, Map.of("ok", 1));
            } else {
                answer(exchange, 404, Map.of("description", "Not found", "code", 404));
            }
        }
    }

    private boolean signatureValid(HttpExchange exchange, String method, String pathWithQuery, byte[] body) {
        String token = exchange.getRequestHeaders().getFirst("X-App-Token");
        String ts = exchange.getRequestHeaders().getFirst("X-App-Access-Ts");
        String sig = exchange.getRequestHeaders().getFirst("X-App-Access-Sig");
        if (!appToken.equals(token) || ts == null || sig == null || !ts.matches("\\d{1,12}")
                || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ts)) > 60) {
            return false;
        }
        byte[] expected = hmac("HmacSHA256", secretKey, concat((ts + method + pathWithQuery).getBytes(StandardCharsets.UTF_8), body));
        // Sumsub asks for lowercase hex.
        return MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }

    private synchronized void create(HttpExchange exchange, String query, byte[] body) throws IOException {
        String level = query == null ? null : query.replaceFirst("^.*levelName=([^&]*).*$", "$1");
        JsonNode request = JSON.readTree(body);
        String external = request.path("externalUserId").asText("");
        if (external.isEmpty() || level == null || level.isEmpty()) {
            answer(exchange, 400, Map.of("description", "externalUserId and levelName are required", "code", 400));
            return;
        }
        if (applicantsOf(external).stream().anyMatch(a -> !a.deactivated)) {
            answer(exchange, 409, Map.of("description", "Applicant with external user id '" + external + "' already exists",
                    "code", 409));
            return;
        }
        String id = String.format("65%022x", ids.incrementAndGet() + (System.nanoTime() & 0xffffffL) * 1000);
        Applicant a = new Applicant(id, external, URLDecoder.decode(level, StandardCharsets.UTF_8));
        applicants.put(id, a);
        answer(exchange, 201, representation(a));
    }

    private synchronized Applicant applicant(String id) {
        return applicants.get(id);
    }

    private void addDocument(HttpExchange exchange, Applicant a, byte[] body) throws IOException {
        if (a == null) {
            answer(exchange, 404, Map.of("description", "Applicant not found", "code", 404));
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        Matcher b = type == null ? null : Pattern.compile("multipart/form-data;\\s*boundary=(\\S+)").matcher(type);
        if (b == null || !b.find()) {
            answer(exchange, 400, Map.of("description", "multipart/form-data expected", "code", 400));
            return;
        }
        Map<String, Part> parts = multipart(body, b.group(1));
        Part metadata = parts.get("metadata");
        Part content = parts.get("content");
        if (metadata == null || content == null) {
            answer(exchange, 400, Map.of("description", "metadata and content are required", "code", 400));
            return;
        }
        JsonNode meta = JSON.readTree(metadata.content());
        if (!meta.path("country").asText("").matches("[A-Z]{3}") || meta.path("idDocType").asText("").isEmpty()) {
            answer(exchange, 400, Map.of("description", "idDocType and an alpha-3 country are required", "code", 400));
            return;
        }
        a.documents.add(new Document(meta.path("idDocType").asText(), meta.path("country").asText(),
                meta.path("idDocSubType").asText(null), content.fileName(), content.contentType(), content.content()));
        exchange.getResponseHeaders().add("X-Image-Id", String.valueOf(1_000_000 + a.documents.size()));
        answer(exchange, 200, Map.of("idDocType", meta.path("idDocType").asText(), "country", meta.path("country").asText()));
    }

    private record Part(String name, String fileName, String contentType, byte[] content) {
    }

    /** A strict reading of RFC 7578: parts between {@code --boundary} lines, headers, a blank line, the bytes. */
    private static Map<String, Part> multipart(byte[] body, String boundary) {
        Map<String, Part> parts = new LinkedHashMap<>();
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] data = concat("\r\n".getBytes(StandardCharsets.US_ASCII), body);
        int at = indexOf(data, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 2 <= data.length && data[start] == '-' && data[start + 1] == '-') {
                break;
            }
            int next = indexOf(data, delimiter, start);
            if (next < 0) {
                break;
            }
            int headersEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            String headers = new String(data, start, headersEnd - start, StandardCharsets.UTF_8);
            byte[] content = java.util.Arrays.copyOfRange(data, headersEnd + 4, next);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            Matcher file = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            Matcher type = Pattern.compile("(?i)Content-Type:\\s*(\\S+)").matcher(headers);
            if (name.find()) {
                parts.put(name.group(1), new Part(name.group(1), file.find() ? file.group(1) : null,
                        type.find() ? type.group(1) : null, content));
            }
            at = next;
        }
        return parts;
    }

    /**
     * Sends the {@code applicantReviewed} webhook for {@code a} as Sumsub does: JSON, signed with
     * {@code X-Payload-Digest} (hex HMAC of the raw body under the webhook secret key) and
     * {@code X-Payload-Digest-Alg}. {@code rejectType} and {@code labels} only with RED.
     */
    public HttpResponse<String> sendReviewed(String callbackUrl, Applicant a, String answer, String rejectType, List<String> labels)
            throws Exception {
        a.reviewStatus = "completed";
        a.reviewRejectType = rejectType;
        byte[] body = reviewedBody(a.id, a.externalUserId, a.levelName, answer, rejectType, labels);
        return post(callbackUrl, body, "HMAC_SHA256_HEX", HexFormat.of().formatHex(hmac("HmacSHA256", webhookSecret, body)));
    }

    public static byte[] reviewedBody(String applicantId, String externalUserId, String levelName, String answer, String rejectType,
                                      List<String> labels) throws IOException {
        return reviewedBody(applicantId, externalUserId, levelName, answer, rejectType, labels, java.time.Instant.now());
    }

    /** As above, created at {@code createdAt} (Sumsub writes "2020-02-21 13:23:19.321", UTC). */
    public static byte[] reviewedBody(String applicantId, String externalUserId, String levelName, String answer, String rejectType,
                                      List<String> labels, java.time.Instant createdAt) throws IOException {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("reviewAnswer", answer);
        if ("RED".equals(answer)) {
            review.put("moderationComment", "We could not verify your profile.");
            review.put("rejectLabels", labels);
            review.put("reviewRejectType", rejectType);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("applicantId", applicantId);
        payload.put("inspectionId", "5cb56e8e0a975a35f333cb84");
        payload.put("correlationId", "req-" + System.nanoTime());
        payload.put("externalUserId", externalUserId);
        payload.put("levelName", levelName);
        payload.put("type", "applicantReviewed");
        payload.put("reviewResult", review);
        payload.put("reviewStatus", "completed");
        payload.put("createdAtMs", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(createdAt));
        return JSON.writeValueAsBytes(payload);
    }

    /** A POST to the callback with whatever digest headers the test chooses (null: the header is left out). */
    public static HttpResponse<String> post(String callbackUrl, byte[] body, String algorithm, String digest) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(callbackUrl)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (algorithm != null) {
            request.header("X-Payload-Digest-Alg", algorithm);
        }
        if (digest != null) {
            request.header("X-Payload-Digest", digest);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String webhookDigest(String jcaAlgorithm, byte[] body) {
        return digest(webhookSecret, jcaAlgorithm, body);
    }

    /** A webhook digest under any key (a forger's). */
    public static String digest(String secret, String jcaAlgorithm, byte[] body) {
        return HexFormat.of().formatHex(hmac(jcaAlgorithm, secret, body));
    }

    private static Map<String, Object> representation(Applicant a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id);
        out.put("createdAt", java.time.LocalDateTime.now().toString().replace('T', ' '));
        out.put("externalUserId", a.externalUserId);
        out.put("levelName", a.levelName);
        out.put("review", Map.of("reviewStatus", a.reviewStatus));
        out.put("type", "individual");
        return out;
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static byte[] hmac(String algorithm, String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** For tests that want a list of what arrived. */
    public synchronized List<Applicant> applicants() {
        return new ArrayList<>(applicants.values());
    }
}
