package dev.tillit.keycloak.kyc.review;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tillit.keycloak.AfterCommit;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;
import org.keycloak.vault.VaultStringSecret;

/**
 * Tells the exchange about each decision: a JSON POST to the realm's webhook URL, signed with
 * {@code X-Tillit-Signature: sha256=<hex HMAC-SHA256 of the body>} under a vault secret. Body and
 * signature are made in the reviewer's request; the POST happens only after the decision committed,
 * on the factory's scheduler, so the reviewer never waits for the exchange. Retried with doubling
 * pauses until a 2xx (then never again: delivered once, the {@code id} lets the receiver drop a
 * copy should its 2xx get lost). The retries live in the deciding node's memory: a node that stops
 * before delivery drops them (the decision itself stays in the case, the user event and the admin
 * event, from which an exchange can reconcile).
 */
final class DecisionWebhook {

    static final String SIGNATURE_HEADER = "X-Tillit-Signature";
    static final int ATTEMPTS = 8;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(DecisionWebhook.class);
    /** Keycloak's mapper leaves nulls out; the receiver is promised every field ({@code "level": null} on a rejection). */
    private static final ObjectMapper JSON = JsonSerialization.mapper.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private final ScheduledExecutorService scheduler;
    private final HttpClient http;

    DecisionWebhook(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Prepared now, sent after the request's transaction commits; nothing when no URL is set. */
    void publishAfterCommit(KeycloakSession session, RealmModel realm, String userId, Outcome outcome, KycDecisions.Decision decision) {
        TillitSettings settings = TillitSettings.of(realm);
        String url = settings.kycWebhookUrl();
        if (url == null || url.isBlank()) {
            return;
        }
        String secret = secret(session, settings.kycWebhookSecretReference());
        if (secret == null) {
            LOG.errorf("Realm %s has a KYC webhook URL but no usable secret (Tillit setting \"Decision webhook secret\","
                    + " a vault reference): decision on case %s not sent", realm.getName(), decision.caseId());
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", KeycloakModelUtils.generateId());
        payload.put("event", outcome.event());
        payload.put("userId", userId);
        payload.put("caseId", decision.caseId());
        payload.put("status", decision.status());
        payload.put("level", decision.level());
        payload.put("reasons", decision.reasons());
        payload.put("timestamp", System.currentTimeMillis() / 1000);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String signature = "sha256=" + sign(secret, body);
        Delivery delivery = new Delivery(URI.create(url), body, signature, (String) payload.get("id"));
        AfterCommit.run(session, () -> schedule(delivery, 1, 0)); // no decision (rolled back), nothing to tell
    }

    private record Delivery(URI url, byte[] body, String signature, String id) {
    }

    private void schedule(Delivery delivery, int attempt, long delayMillis) {
        try {
            scheduler.schedule(() -> attempt(delivery, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.errorf("KYC webhook %s not delivered: the server is stopping", delivery.id());
        }
    }

    private void attempt(Delivery delivery, int attempt) {
        String problem;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(delivery.url()).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header(SIGNATURE_HEADER, delivery.signature())
                    .header("X-Tillit-Delivery", delivery.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body())).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                LOG.debugf("KYC webhook %s delivered (attempt %d)", delivery.id(), attempt);
                return;
            }
            problem = "HTTP " + response.statusCode();
        } catch (IOException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt >= ATTEMPTS) {
            LOG.errorf("KYC webhook %s to %s given up after %d attempts: %s", delivery.id(), delivery.url(), attempt, problem);
            return;
        }
        long pause = FIRST_PAUSE.toMillis() << (attempt - 1);
        LOG.warnf("KYC webhook %s to %s failed (attempt %d: %s); next in %d s", delivery.id(), delivery.url(), attempt, problem,
                pause / 1000);
        schedule(delivery, attempt + 1, pause);
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The vault's value (a plain value, accepted on save in development mode only, is used as it stands). */
    private static String secret(KeycloakSession session, String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference.trim())) {
            return secret.get().filter(s -> !s.isBlank()).orElse(null);
        }
    }
}
