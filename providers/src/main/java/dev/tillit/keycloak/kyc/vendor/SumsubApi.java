package dev.tillit.keycloak.kyc.vendor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.util.JsonSerialization;

import dev.tillit.keycloak.sms.GatewayHttp;
import dev.tillit.keycloak.sms.SmsDeliveryException;

/**
 * The few calls of Sumsub's API that hand a case over (docs.sumsub.com, "Authentication", "Create
 * applicant", "Add ID documents", "Request applicant check"). Every request carries
 * {@code X-App-Token}, {@code X-App-Access-Ts} (Unix seconds) and {@code X-App-Access-Sig}: the
 * lowercase hex HMAC-SHA256, under the secret key, of ts + method + path with query + the exact
 * body bytes sent. Multipart bodies are built here, so the bytes signed are the bytes sent.
 */
final class SumsubApi {

    static final String TOKEN_HEADER = "X-App-Token";
    static final String TS_HEADER = "X-App-Access-Ts";
    static final String SIG_HEADER = "X-App-Access-Sig";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final GatewayHttp http;
    private final URI base;
    private final String appToken;
    private final String secretKey;

    SumsubApi(GatewayHttp http, String baseUrl, String appToken, String secretKey) throws VendorException {
        this.http = http;
        this.base = checkedBase(baseUrl);
        this.appToken = appToken;
        this.secretKey = secretKey;
    }

    /** Creates the applicant at {@code levelName}; returns Sumsub's applicant id. */
    String createApplicant(String externalUserId, String levelName) throws VendorException {
        byte[] body = json(Map.of("externalUserId", externalUserId));
        HttpResponse<String> response = send("POST", "/resources/applicants?levelName=" + encode(levelName),
                "application/json", body);
        if (response.statusCode() == 409) {
            // It exists already: an earlier attempt created it and its answer got lost.
            return applicantIdOf(externalUserId);
        }
        return id(expectOk(response, "create applicant"));
    }

    /** The applicant made for {@code externalUserId} ("Get applicant data (externalUserId)"). */
    String applicantIdOf(String externalUserId) throws VendorException {
        return id(expectOk(send("GET", "/resources/applicants/-;externalUserId=" + encode(externalUserId) + "/one", null, null),
                "find applicant"));
    }

    /** One picture with its metadata ({@code idDocType}, {@code country} alpha-3, optional {@code idDocSubType}). */
    void addIdDoc(String applicantId, Map<String, String> metadata, byte[] content, String fileName, String contentType)
            throws VendorException {
        String boundary = "tillit-" + SecretGenerator.getInstance().randomString(24);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 1024);
        try {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                    + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(json(metadata));
            out.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        expectOk(send("POST", "/resources/applicants/" + encode(applicantId) + "/info/idDoc",
                "multipart/form-data; boundary=" + boundary, out.toByteArray()), "add ID document");
    }

    /** Asks Sumsub to check the applicant now that its documents are in ("Request applicant check"). */
    void requestCheck(String applicantId) throws VendorException {
        expectOk(send("POST", "/resources/applicants/" + encode(applicantId) + "/status/pending", null, new byte[0]),
                "request check");
    }

    /**
     * Deactivates the applicant ("Deactivate applicant profile",
     * https://docs.sumsub.com/reference/deactivate-applicant-profile): Sumsub's operators and ours can no
     * longer act on its data, and it is left out of duplicate checks. Sumsub keeps the record: this is
     * the nearest its API comes to deleting an applicant (it documents no deletion call). Refused by
     * Sumsub while the applicant is being checked (pending, queued, prechecked).
     */
    void deactivate(String applicantId) throws VendorException {
        expectOk(send("PATCH", "/resources/applicants/" + encode(applicantId) + "/presence/deactivated", null, new byte[0]),
                "deactivate applicant");
    }

    /** Sumsub's request signature: lowercase hex HMAC-SHA256(secretKey, ts + METHOD + pathWithQuery + body). */
    static String signature(String secretKey, long ts, String method, String pathWithQuery, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + method + pathWithQuery).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body == null ? new byte[0] : body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String pathWithQuery, String contentType, byte[] body)
            throws VendorException {
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + pathWithQuery);
        // Signed as the server sees it: the full path (a base URL may carry a prefix) and the query.
        String signed = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header(TOKEN_HEADER, appToken)
                .header(TS_HEADER, String.valueOf(ts))
                .header(SIG_HEADER, signature(secretKey, ts, method, signed, body))
                .header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(request.build(), TIMEOUT);
        } catch (SmsDeliveryException e) {
            throw new VendorException(e.getMessage(), e);
        }
    }

    private HttpResponse<String> expectOk(HttpResponse<String> response, String what) throws VendorException {
        if (!GatewayHttp.isSuccess(response)) {
            throw new VendorException("Sumsub " + what + ": HTTP " + response.statusCode() + ": "
                    + GatewayHttp.excerpt(response.body(), secretKey));
        }
        return response;
    }

    private static String id(HttpResponse<String> response) throws VendorException {
        try {
            JsonNode id = JsonSerialization.mapper.readTree(response.body()).path("id");
            if (id.isTextual() && !id.asText().isBlank()) {
                return id.asText();
            }
        } catch (IOException e) {
            // reported below
        }
        throw new VendorException("Sumsub answered without an applicant id: " + GatewayHttp.excerpt(response.body(), null));
    }

    private static byte[] json(Object value) {
        try {
            return JsonSerialization.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI checkedBase(String url) throws VendorException {
        try {
            URI uri = new URI(url == null ? "" : url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            // file:, jar: ... would turn the setting into a way to read or reach other things.
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new VendorException("The Tillit setting \"Sumsub API URL\" is not an http(s) URL: \"" + url + "\"");
    }
}
