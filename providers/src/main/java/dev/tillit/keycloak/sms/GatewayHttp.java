package dev.tillit.keycloak.sms;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The HTTP plumbing the gateway senders share, owned by each sender's factory: HTTP clients,
 * the URL check, and turning every failure into an {@link SmsDeliveryException} whose message
 * tells the operator what happened (status, host, the start of the answer) and never holds the
 * gateway secret. Also used by the KYC vendor adapters ({@code kyc.vendor}), under their own name.
 */
public final class GatewayHttp {

    /** How much of a gateway's answer goes into an error message. */
    static final int EXCERPT_LENGTH = 200;

    /**
     * One client per connect timeout: a client pools connections and owns a selector thread, so
     * it is reused rather than built for every message. Realms use a handful of timeouts at most.
     */
    private final ConcurrentMap<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /** What the error messages call the other end, e.g. "SMS gateway" or "Sumsub". */
    private final String name;

    public GatewayHttp() {
        this("SMS gateway");
    }

    public GatewayHttp(String name) {
        this.name = name;
    }

    /** @throws SmsDeliveryException unless {@code url} is an absolute http(s) URL with a host */
    static URI checkedUri(String url) throws SmsDeliveryException {
        if (url == null || url.isBlank()) {
            throw new SmsDeliveryException("SMS gateway URL is not configured");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new SmsDeliveryException("SMS gateway URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            // file:, jar:, ftp: ... would turn the gateway setting into a way to read or reach other things.
            throw new SmsDeliveryException("SMS gateway URL must be http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new SmsDeliveryException("SMS gateway URL has no host");
        }
        return uri;
    }

    /**
     * Sends the request (connect and answer each bounded by {@code timeout}) and returns the
     * answer whatever its status; only "no answer at all" is an exception here.
     */
    public HttpResponse<String> send(HttpRequest request, Duration timeout) throws SmsDeliveryException {
        String host = request.uri().getHost();
        try {
            return client(timeout).send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new SmsDeliveryException(name + " " + host + ": no connection within " + timeout.toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw new SmsDeliveryException(name + " " + host + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new SmsDeliveryException(name + " " + host + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsDeliveryException(name + " " + host + ": interrupted while sending", e);
        }
    }

    public static boolean isSuccess(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    /** "SMS gateway host answered HTTP 500: start of the body" */
    static String describe(HttpResponse<String> response, String secret) {
        return "SMS gateway " + response.uri().getHost() + " answered HTTP " + response.statusCode()
                + ": " + excerpt(response.body(), secret);
    }

    /**
     * The first {@value #EXCERPT_LENGTH} characters of a gateway's answer, on one line, with the
     * secret masked in case the gateway echoes the request back.
     */
    public static String excerpt(String body, String secret) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String text = body.strip();
        if (secret != null && !secret.isBlank()) {
            text = text.replace(secret, "***");
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "...";
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                // One small request per message: HTTP/1.1 spares plain-http gateways the h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry the credentials somewhere nobody configured.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }
}
