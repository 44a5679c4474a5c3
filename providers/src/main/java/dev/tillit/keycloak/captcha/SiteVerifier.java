package dev.tillit.keycloak.captcha;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.TillitEvents;

/**
 * Asks a widget's siteverify endpoint whether an answer token is good, in the protocol Turnstile,
 * hCaptcha and reCAPTCHA share: a form-encoded POST of {@code secret}, {@code response} and
 * {@code remoteip}; a JSON answer with {@code success} (and for reCAPTCHA v3 {@code score} and
 * {@code action}). Anything but a clear yes in time is a no: a slow or broken verifier must not let
 * bots through (fail closed).
 */
public final class SiteVerifier {

    /** The verdict; {@code failure} is null when it passed, else a {@code TillitEvents.BOT_CHECK_*} reason. */
    public record Verdict(String failure, Double score, String detail) {
        public boolean passed() {
            return failure == null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Owned by the step's factory, as {@code GatewayHttp}'s clients are: it pools connections and owns
     * a selector thread. Holds no realm state (the timeout is per request).
     */
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            // A redirect would carry the secret somewhere nobody configured.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();


    /**
     * @param expectedAction reCAPTCHA v3: the action the page executed, which the answer must name
     * @param minScore       reCAPTCHA v3: the lowest accepted score
     */
    public Verdict verify(BotCheckProvider provider, String url, String secret, String token, String remoteIp,
                                 Duration timeout, String expectedAction, double minScore) {
        if (token == null || token.isBlank()) {
            return new Verdict(TillitEvents.BOT_CHECK_MISSING, null, null);
        }
        if (secret == null || secret.isBlank()) {
            return new Verdict(TillitEvents.BOT_CHECK_NOT_CONFIGURED, null, "no secret");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("secret", secret);
        form.put("response", token.length() > 4096 ? token.substring(0, 4096) : token);
        if (remoteIp != null) {
            form.put("remoteip", remoteIp);
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_TIMEOUT, null, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, "interrupted");
        }
        return judge(provider, response.statusCode(), response.body(), expectedAction, minScore);
    }

    /** Reads a siteverify answer. */
    static Verdict judge(BotCheckProvider provider, int status, String body, String expectedAction, double minScore) {
        if (status < 200 || status >= 300) {
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, "HTTP " + status);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, "not JSON");
        }
        if (answer == null || !answer.path("success").isBoolean()) {
            return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, "no success field");
        }
        if (!answer.path("success").asBoolean()) {
            return new Verdict(TillitEvents.BOT_CHECK_REJECTED, null, errorCodes(answer));
        }
        if (provider == BotCheckProvider.RECAPTCHA) {
            // v3 says "success" for any well-formed token, bots included: the score is the judgement.
            if (!answer.path("score").isNumber()) {
                return new Verdict(TillitEvents.BOT_CHECK_VERIFIER_ERROR, null, "no score (not a v3 key?)");
            }
            double score = answer.path("score").asDouble();
            if (expectedAction != null && !expectedAction.equals(answer.path("action").asText(null))) {
                return new Verdict(TillitEvents.BOT_CHECK_WRONG_ACTION, score, answer.path("action").asText(""));
            }
            if (score < minScore) {
                return new Verdict(TillitEvents.BOT_CHECK_LOW_SCORE, score, null);
            }
            return new Verdict(null, score, null);
        }
        return new Verdict(null, null, null);
    }

    private static String errorCodes(JsonNode answer) {
        JsonNode codes = answer.path("error-codes");
        return codes.isArray() && !codes.isEmpty() ? codes.toString() : null;
    }
}
