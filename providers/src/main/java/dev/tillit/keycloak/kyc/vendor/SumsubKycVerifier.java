package dev.tillit.keycloak.kyc.vendor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import dev.tillit.keycloak.kyc.KycRequiredActionFactory;
import dev.tillit.keycloak.kyc.KycStore;
import dev.tillit.keycloak.kyc.KycVerifier;
import dev.tillit.keycloak.kyc.review.Outcome;
import dev.tillit.keycloak.kyc.review.VendorDecisions;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Sumsub decides the realm's cases. A submitted case is marked for Sumsub in the submitting
 * transaction and handed over after it commits ({@link SumsubHandOff}); Sumsub's verdict comes
 * back as the {@code applicantReviewed} webhook, whose {@code X-Payload-Digest} (HMAC of the raw
 * body under the webhook's secret key, algorithm named by {@code X-Payload-Digest-Alg}) is checked
 * before anything is read, and is applied like a reviewer's decision.
 */
final class SumsubKycVerifier implements KycVerifier {

    static final String DIGEST_HEADER = "X-Payload-Digest";
    static final String DIGEST_ALG_HEADER = "X-Payload-Digest-Alg";
    /** Sumsub's names of its digest algorithms, and the JCA's. */
    static final Map<String, String> DIGEST_ALGORITHMS = Map.of(
            "HMAC_SHA1_HEX", "HmacSHA1", "HMAC_SHA256_HEX", "HmacSHA256", "HMAC_SHA512_HEX", "HmacSHA512");

    private static final Logger LOG = Logger.getLogger(SumsubKycVerifier.class);

    private final KeycloakSession session;
    private final SumsubKycVerifierFactory factory;

    SumsubKycVerifier(KeycloakSession session, SumsubKycVerifierFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    @Override
    public void submitted(RealmModel realm, KycCaseEntity submitted) {
        submitted.setVendor(SumsubKycVerifierFactory.ID);
        submitted.setVendorState(SumsubHandOff.QUEUED);
        submitted.setVendorAttempts(0);
        // Due for the retry task once the first attempt's lease ends, should this node stop before it.
        submitted.setVendorNextAt(System.currentTimeMillis() + SumsubHandOff.LEASE.toMillis());
        factory.handOffAfterCommit(session, realm.getId(), submitted.getId());
    }

    @Override
    public void deleted(RealmModel realm, List<KycCaseEntity> deleted) {
        KycStore store = new KycStore(session);
        java.util.Set<String> ids = new java.util.HashSet<>();
        deleted.forEach(c -> ids.add(c.getId()));
        // One applicant serves all of a user's cases: it goes with the last case that names it.
        deleted.stream().map(KycCaseEntity::getVendorApplicantId).filter(java.util.Objects::nonNull).distinct()
                .filter(applicantId -> !store.applicantNamedElsewhere(realm.getId(), SumsubKycVerifierFactory.ID, applicantId, ids))
                .forEach(applicantId -> factory.deactivateAfterCommit(session, realm.getId(), applicantId));
    }

    @Override
    public Response callback(RealmModel realm, Function<String, String> header, byte[] body) {
        String secret = SumsubHandOff.secret(session, TillitSettings.of(realm).kycSumsubWebhookSecretReference());
        if (secret == null) {
            LOG.errorf("Realm %s: a Sumsub webhook arrived but the Tillit setting \"Sumsub webhook secret key\" names no"
                    + " vault entry that exists; refused", realm.getName());
        }
        if (secret == null || !digestValid(header.apply(DIGEST_ALG_HEADER), header.apply(DIGEST_HEADER), secret, body)) {
            new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                    .detail(TillitEvents.DETAIL, TillitEvents.KYC_VENDOR_CALLBACK_REFUSED)
                    .detail(TillitEvents.KYC_VERIFIER, SumsubKycVerifierFactory.ID)
                    .error(Errors.INVALID_SIGNATURE);
            return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "invalid_signature")).build();
        }
        JsonNode message;
        try {
            message = JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        if (message == null || !"applicantReviewed".equals(message.path("type").asText())) {
            // Sumsub sends other kinds too (applicantPending, ...): nothing to decide, and no reason to resend.
            return ok("ignored");
        }
        return ok(reviewed(realm, message));
    }

    /** Applies the verdict to the case, at most once; says what happened (for the answer and the log only). */
    private String reviewed(RealmModel realm, JsonNode message) {
        String applicantId = message.path("applicantId").asText("");
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        // Only this realm's cases: a webhook for another realm's applicant finds nothing here. One applicant
        // serves all of a user's cases (a RETRY continues on it): the latest case is the one under review.
        KycCaseEntity c = em.createNamedQuery("tillitKycCaseOfApplicant", KycCaseEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("vendor", SumsubKycVerifierFactory.ID)
                .setParameter("applicantId", applicantId).setMaxResults(1).getResultStream().findFirst().orElse(null);
        String external = message.path("externalUserId").asText(null);
        String printable = applicantId.replaceAll("[^A-Za-z0-9_-]", "?");
        if (c == null) {
            LOG.warnf("Realm %s: Sumsub webhook for applicant %s, which is none of this realm's cases; ignored",
                    realm.getName(), printable);
            return "unknown_applicant";
        }
        if (external != null && !external.equals(c.getUserId()) && !external.equals(c.getId())) {
            // Our applicants carry their account's id (before 2026-12 their first case's id): a payload naming another is not ours.
            LOG.warnf("Realm %s: Sumsub webhook for applicant %s names another externalUserId than its case; ignored",
                    realm.getName(), printable);
            return "unknown_applicant";
        }
        // Locked, then read again: a replay (Sumsub resends until it hears 200) or a reviewer racing it finds it decided.
        em.refresh(c, LockModeType.PESSIMISTIC_WRITE);
        if (!KycStore.PENDING.equals(c.getStatus())) {
            return "already_decided";
        }
        Long reviewedAt = createdAt(message.path("createdAtMs").asText(null));
        if (reviewedAt != null && c.getSubmittedAt() != null && reviewedAt < c.getSubmittedAt()) {
            // A review older than this submission is about the applicant's earlier documents (a late resend of the
            // previous case's verdict); Sumsub: check createdAtMs for the relevant status (docs.sumsub.com/docs/webhooks).
            LOG.warnf("KYC case %s: Sumsub webhook for applicant %s was created before the case was submitted; ignored",
                    c.getId(), printable);
            return "stale";
        }
        UserModel user = session.users().getUserById(realm, c.getUserId());
        if (user == null) {
            return "unknown_user";
        }
        JsonNode review = message.path("reviewResult");
        List<String> labels = new ArrayList<>();
        review.path("rejectLabels").forEach(l -> labels.add(l.asText()));
        List<String> unknown = SumsubVerdict.unknown(labels);
        if (!unknown.isEmpty()) {
            LOG.warnf("KYC case %s: Sumsub rejection labels %s are in no row of Tillit's table (SumsubVerdict.LABELS); dropped",
                    c.getId(), unknown);
        }
        boolean hasBack = new KycStore(session).documentKinds(c).contains(DocumentKind.BACK.id());
        SumsubVerdict verdict = SumsubVerdict.of(review.path("reviewAnswer").asText(null),
                review.path("reviewRejectType").asText(null), labels, hasBack);
        if (verdict == null) {
            LOG.warnf("KYC case %s: Sumsub review result %s is none we act on; the case waits for a reviewer", c.getId(), review);
            return "left_to_reviewers";
        }
        Integer level = verdict.outcome() == Outcome.APPROVED ? TillitSettings.of(realm).kycVendorApprovedLevel() : null;
        return VendorDecisions.decide(session, realm, c, user, SumsubKycVerifierFactory.ID, verdict.outcome(), level,
                verdict.reasons(), verdict.documents());
    }

    /**
     * {@code createdAtMs} of a webhook, in Unix milliseconds: Sumsub writes it as "2020-02-21 13:23:19.321"
     * (UTC); an ISO instant is taken too. Null when absent or unreadable (then not used).
     */
    static Long createdAt(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value.trim()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            // Sumsub's own form, below
        }
        try {
            return java.time.LocalDateTime.parse(value.trim().replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Sumsub's webhook signature: {@code X-Payload-Digest} is the hex HMAC of the raw body under the
     * webhook's secret key, with the algorithm {@code X-Payload-Digest-Alg} names. Compared in
     * constant time; a missing header or an unknown algorithm is no signature. Without
     * {@code X-Payload-Digest-Alg} we refuse as Sumsub's own sample does ("Verify webhook sender",
     * https://docs.sumsub.com/docs/webhook-manager): it maps the header to HMAC_SHA1_HEX,
     * HMAC_SHA256_HEX or HMAC_SHA512_HEX and throws "Unsupported algorithm" when it names none,
     * rather than guessing one (a guess would accept a digest the sender never declared).
     */
    static boolean digestValid(String algorithm, String digest, String secret, byte[] body) {
        String jca = algorithm == null ? null : DIGEST_ALGORITHMS.get(algorithm.trim());
        if (jca == null || digest == null || secret == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(digest.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmac(jca, secret, body));
    }

    static byte[] hmac(String jcaAlgorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(jcaAlgorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jcaAlgorithm));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response ok(String result) {
        return Response.ok(Map.of("result", result), MediaType.APPLICATION_JSON).build();
    }
}
