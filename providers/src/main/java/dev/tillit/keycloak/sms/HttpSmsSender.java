package dev.tillit.keycloak.sms;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Posts each message as JSON to the gateway's URL, for gateways (or an in-house relay) that take
 * a plain webhook:
 *
 * <pre>
 * POST {url}
 * Content-Type: application/json
 *
 * {"to":"+46701234567","from":"Tillit","text":"Your code is 123456"}
 * </pre>
 *
 * {@code from} is the gateway's sender, or {@code null} when none is configured. Any 2xx answer
 * means accepted; anything else, or no answer within the gateway's timeout, is a failure.
 *
 * <p>Authentication, option {@code auth}:
 * <ul>
 * <li>{@code bearer} (default): {@code Authorization: Bearer <secret>}.</li>
 * <li>{@code hmac}: the secret never travels; the request is signed instead:
 * <pre>
 * X-Tillit-Timestamp: 1767225600
 * X-Tillit-Signature: sha256=5f0c...(64 lowercase hex digits)
 * </pre>
 * The signature is HMAC-SHA256, keyed with the secret's UTF-8 bytes, over the timestamp
 * (decimal epoch seconds, exactly as in the header), a {@code .}, and the raw request body bytes
 * exactly as received. To verify, a gateway recomputes it over the bytes it received (before
 * parsing the JSON), compares it in constant time, and rejects timestamps more than a few minutes
 * from its own clock, so that a captured request cannot be replayed later.</li>
 * <li>{@code none}: no credentials (e.g. a relay on a private network).</li>
 * </ul>
 */
class HttpSmsSender implements SmsSender {

    static final String AUTH_BEARER = "bearer";
    static final String AUTH_HMAC = "hmac";
    static final String AUTH_NONE = "none";

    static final String TIMESTAMP_HEADER = "X-Tillit-Timestamp";
    static final String SIGNATURE_HEADER = "X-Tillit-Signature";

    private final GatewayHttp http;
    private final ObjectMapper json;
    private final Clock clock;

    HttpSmsSender(GatewayHttp http, ObjectMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void send(SmsGateway gateway, String phoneNumber, String text) throws SmsDeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(GatewayHttp.checkedUri(gateway.url()))
                .timeout(gateway.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        byte[] body = body(gateway, phoneNumber, text);

        String auth = gateway.option(HttpSmsSenderFactory.OPTION_AUTH, AUTH_BEARER).strip().toLowerCase(Locale.ROOT);
        switch (auth) {
            case AUTH_BEARER -> request.header("Authorization", "Bearer " + requireSecret(gateway, auth));
            case AUTH_HMAC -> {
                String timestamp = Long.toString(clock.instant().getEpochSecond());
                request.header(TIMESTAMP_HEADER, timestamp)
                        .header(SIGNATURE_HEADER, "sha256=" + sign(requireSecret(gateway, auth), timestamp, body));
            }
            case AUTH_NONE -> {
            }
            default -> throw new SmsDeliveryException("HTTP SMS gateway: unknown auth '" + auth
                    + "' (expected " + AUTH_BEARER + ", " + AUTH_HMAC + " or " + AUTH_NONE + ")");
        }

        HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                gateway.timeout());
        if (!GatewayHttp.isSuccess(response)) {
            throw new SmsDeliveryException(GatewayHttp.describe(response, gateway.secret()));
        }
    }

    private byte[] body(SmsGateway gateway, String phoneNumber, String text) throws SmsDeliveryException {
        ObjectNode body = json.createObjectNode();
        body.put("to", phoneNumber);
        body.put("from", gateway.sender());
        body.put("text", text);
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new SmsDeliveryException("HTTP SMS gateway: could not write the request body", e);
        }
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"}; see the class comment. */
    static String sign(String secret, String timestamp, byte[] body) throws SmsDeliveryException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new SmsDeliveryException("HTTP SMS gateway: could not sign the request", e);
        }
    }

    private static String requireSecret(SmsGateway gateway, String auth) throws SmsDeliveryException {
        if (gateway.secret() == null || gateway.secret().isBlank()) {
            throw new SmsDeliveryException("HTTP SMS gateway: auth '" + auth + "' needs a secret, none is configured");
        }
        return gateway.secret();
    }
}
