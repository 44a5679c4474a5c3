package dev.tillit.keycloak.kyc.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.DocumentVault;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import dev.tillit.keycloak.kyc.KycDocumentEntity;
import dev.tillit.keycloak.kyc.KycHousekeeping;
import dev.tillit.keycloak.kyc.KycStore;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponse;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /admin/realms/<realm>/tillit-kyc/...}: the review queue and decisions. Only a user of
 * this very realm holding its realm role {@value #REVIEWER_ROLE}, with a token of the reviewers' page
 * (or a client the operator listed) that shows a second factor, gets in ({@link ReviewerAccess});
 * Keycloak's own admin roles (realm-admin, manage-users) do not open personal documents, and a
 * master-realm admin, who may administer every realm, is no reviewer of this one. Every view of personal data and
 * every decision is an admin event (resource type CUSTOM) whose representation holds ids and
 * codes only.
 */
public class KycReviewResource {

    public static final String REVIEWER_ROLE = "kyc-reviewer";

    private static final Logger LOG = Logger.getLogger(KycReviewResource.class);
    /** In the order the reviewers' page offers them. */
    static final List<String> QUEUE_STATUSES = List.of(KycStore.PENDING, "approved", "rejected", "resubmission_required");
    private static final Set<DocumentKind> RESUBMITTABLE = Set.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE);
    static final List<String> RESUBMITTABLE_IDS = List.of(DocumentKind.FRONT.id(), DocumentKind.BACK.id(), DocumentKind.SELFIE.id());
    private static final int MAX_PAGE = 100;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminEventBuilder adminEvent;
    private final String reviewerId;
    private final EntityManager em;
    private final DecisionWebhook webhook;

    /** {@code auth} has passed {@link ReviewerAccess#judge}. */
    KycReviewResource(KeycloakSession session, RealmModel realm, AdminAuth auth, AdminEventBuilder adminEvent,
                      DecisionWebhook webhook) {
        this.session = session;
        this.realm = realm;
        this.adminEvent = adminEvent;
        this.reviewerId = auth.getUser().getId();
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.webhook = webhook;
    }

    /** Body of a decision: {@code level} to approve; {@code reasons} to reject; {@code documents} and {@code reasons} to ask again. */
    public static class DecisionRequest {
        public Integer level;
        public List<String> reasons;
        public List<String> documents;
    }

    /**
     * The queue: cases of one status (default pending), optionally of one country of residence,
     * submitted at least {@code minAgeHours} / at most {@code maxAgeHours} ago; oldest first unless
     * {@code order=newest}.
     */
    @GET
    @Path("cases")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> queue(@QueryParam("status") @DefaultValue(KycStore.PENDING) String status,
                                           @QueryParam("country") String country,
                                           @QueryParam("minAgeHours") Integer minAgeHours,
                                           @QueryParam("maxAgeHours") Integer maxAgeHours,
                                           @QueryParam("order") @DefaultValue("oldest") String order,
                                           @QueryParam("first") @DefaultValue("0") int first,
                                           @QueryParam("max") @DefaultValue("50") int max) {
        if (!QUEUE_STATUSES.contains(status)) {
            throw ErrorResponse.error("status must be one of " + QUEUE_STATUSES, Response.Status.BAD_REQUEST);
        }
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw ErrorResponse.error("country must be an ISO 3166 alpha-2 code", Response.Status.BAD_REQUEST);
        }
        if (!order.equals("oldest") && !order.equals("newest")) {
            throw ErrorResponse.error("order must be oldest or newest", Response.Status.BAD_REQUEST);
        }
        if ((minAgeHours != null && minAgeHours < 0) || (maxAgeHours != null && maxAgeHours < 0) || first < 0 || max < 1) {
            throw ErrorResponse.error("ages, first and max must not be negative", Response.Status.BAD_REQUEST);
        }
        StringBuilder jpql = new StringBuilder("select c from KycCaseEntity c where c.realmId = :realmId and c.status = :status");
        if (country != null) {
            jpql.append(" and c.country = :country");
        }
        if (minAgeHours != null) {
            jpql.append(" and c.submittedAt <= :submittedBefore");
        }
        if (maxAgeHours != null) {
            jpql.append(" and c.submittedAt >= :submittedAfter");
        }
        jpql.append(" order by c.submittedAt ").append(order.equals("newest") ? "desc" : "asc").append(", c.id");
        TypedQuery<KycCaseEntity> query = em.createQuery(jpql.toString(), KycCaseEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("status", status);
        long now = System.currentTimeMillis();
        if (country != null) {
            query.setParameter("country", country);
        }
        if (minAgeHours != null) {
            query.setParameter("submittedBefore", now - minAgeHours * 3_600_000L);
        }
        if (maxAgeHours != null) {
            query.setParameter("submittedAfter", now - maxAgeHours * 3_600_000L);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        query.setFirstResult(first).setMaxResults(Math.min(max, MAX_PAGE)).getResultStream().forEach(c -> out.add(summary(c)));
        return out;
    }

    /** One case: its details decrypted, its documents listed (not their content), the account it belongs to. */
    @GET
    @Path("cases/{caseId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> getCase(@PathParam("caseId") String caseId) {
        KycCaseEntity c = find(caseId, false);
        Map<String, Object> out = summary(c);
        UserModel user = session.users().getUserById(realm, c.getUserId());
        if (user != null) {
            out.put("username", user.getUsername());
            out.put("email", user.getEmail());
        }
        out.put("details", c.getDetails() == null ? null : details(c));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (KycDocumentEntity d : new KycStore(session).documents(c)) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kind", d.getKind());
            doc.put("contentType", d.getContentType());
            doc.put("size", d.getSize());
            doc.put("sha256", d.getSha256());
            doc.put("createdAt", d.getCreatedAt());
            documents.add(doc);
        }
        out.put("documents", documents);
        audit(OperationType.ACTION, Map.of("caseId", c.getId(), "viewed", "details"), "tillit-kyc", "cases", c.getId());
        return out;
    }

    /** One picture, decrypted: the metadata-free JPEG the user's upload was re-encoded to. */
    @GET
    @Path("cases/{caseId}/documents/{kind}")
    @Produces("image/jpeg")
    public Response document(@PathParam("caseId") String caseId, @PathParam("kind") String kind) {
        DocumentKind documentKind = DocumentKind.of(kind).orElseThrow(NotFoundException::new);
        KycCaseEntity c = find(caseId, false);
        KycDocumentEntity d = new KycStore(session).documents(c).stream()
                .filter(x -> x.getKind().equals(documentKind.id())).findFirst().orElseThrow(NotFoundException::new);
        byte[] picture = open(d.getKeyId(), d.getContent(), DocumentVault.Field.picture(realm, c.getId(), d.getKind()));
        audit(OperationType.ACTION, Map.of("caseId", c.getId(), "viewed", d.getKind(), "sha256", d.getSha256()),
                "tillit-kyc", "cases", c.getId(), "documents", d.getKind());
        return Response.ok(picture, d.getContentType())
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "inline; filename=\"" + d.getKind() + ".jpg\"")
                .build();
    }

    @POST
    @Path("cases/{caseId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public KycDecisions.Decision approve(@PathParam("caseId") String caseId, DecisionRequest request) {
        Integer level = request == null ? null : request.level;
        if (level == null || level < 1 || level > 2) {
            throw ErrorResponse.error("level must be 1 or 2", Response.Status.BAD_REQUEST);
        }
        return decide(caseId, Outcome.APPROVED, level, List.of(), List.of(), "approve");
    }

    @POST
    @Path("cases/{caseId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public KycDecisions.Decision reject(@PathParam("caseId") String caseId, DecisionRequest request) {
        List<ReasonCode> reasons = reasons(request);
        return decide(caseId, Outcome.REJECTED, null, reasons, List.of(), "reject");
    }

    @POST
    @Path("cases/{caseId}/resubmission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public KycDecisions.Decision resubmission(@PathParam("caseId") String caseId, DecisionRequest request) {
        List<ReasonCode> reasons = reasons(request);
        List<DocumentKind> documents = new ArrayList<>();
        for (String id : request.documents == null ? List.<String>of() : request.documents) {
            DocumentKind kind = DocumentKind.of(id).filter(RESUBMITTABLE::contains).orElseThrow(() ->
                    ErrorResponse.error("documents must be among front, back, selfie", Response.Status.BAD_REQUEST));
            if (!documents.contains(kind)) {
                documents.add(kind);
            }
        }
        if (documents.isEmpty()) {
            throw ErrorResponse.error("name the documents to redo (front, back, selfie)", Response.Status.BAD_REQUEST);
        }
        documents.sort(null);
        return decide(caseId, Outcome.RESUBMISSION_REQUIRED, null, reasons, documents, "resubmission");
    }

    /**
     * Runs the hourly sweep of this realm now: unfinished verifications past their lifetime, and
     * decided ones whose retention period after the account closed has ended. For a compliance
     * officer who must show a deletion happened; it deletes nothing the schedule would not.
     */
    @POST
    @Path("retention/sweep")
    @Produces(MediaType.APPLICATION_JSON)
    public KycHousekeeping.Swept sweep() {
        KycHousekeeping.Swept swept = KycHousekeeping.sweep(session, realm);
        audit(OperationType.ACTION, Map.of("drafts", swept.drafts(), "retentionEnded", swept.retentionEnded()),
                "tillit-kyc", "retention", "sweep");
        return swept;
    }

    private KycDecisions.Decision decide(String caseId, Outcome outcome, Integer level, List<ReasonCode> reasons,
                                         List<DocumentKind> documents, String action) {
        // Locked: two reviewers deciding the same case at once cannot both win.
        KycCaseEntity c = find(caseId, true);
        if (reviewerId.equals(c.getUserId())) {
            throw ErrorResponse.error("A reviewer cannot decide their own verification", Response.Status.FORBIDDEN);
        }
        if (!KycStore.PENDING.equals(c.getStatus())) {
            throw ErrorResponse.error("The case is " + c.getStatus() + ", not pending: it was decided already",
                    Response.Status.CONFLICT);
        }
        UserModel user = session.users().getUserById(realm, c.getUserId());
        if (user == null) {
            throw new NotFoundException();
        }
        KycDecisions.Decision decision = new KycDecisions(session, realm, webhook).decide(c, user, reviewerId, outcome, level, reasons, documents);
        adminEvent.operation(OperationType.UPDATE).resource(ResourceType.CUSTOM)
                .resourcePath("tillit-kyc", "cases", c.getId(), action).representation(decision).success();
        return decision;
    }

    private static List<ReasonCode> reasons(DecisionRequest request) {
        List<ReasonCode> reasons = new ArrayList<>();
        for (String id : request == null || request.reasons == null ? List.<String>of() : request.reasons) {
            ReasonCode reason = ReasonCode.of(id).orElseThrow(() ->
                    ErrorResponse.error("unknown reason code: " + (id == null ? null : id.replaceAll("[^a-z_]", "?")),
                            Response.Status.BAD_REQUEST));
            if (!reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
        if (reasons.isEmpty()) {
            throw ErrorResponse.error("give at least one reason code", Response.Status.BAD_REQUEST);
        }
        return reasons;
    }

    /** A submitted case of this realm (drafts are the user's own business), else 404. */
    private KycCaseEntity find(String caseId, boolean lock) {
        KycCaseEntity c = lock ? em.find(KycCaseEntity.class, caseId, LockModeType.PESSIMISTIC_WRITE) : em.find(KycCaseEntity.class, caseId);
        if (c == null || !realm.getId().equals(c.getRealmId()) || KycStore.DRAFT.equals(c.getStatus())) {
            throw new NotFoundException();
        }
        return c;
    }

    private static Map<String, Object> summary(KycCaseEntity c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.getId());
        out.put("userId", c.getUserId());
        out.put("status", c.getStatus());
        out.put("levelRequested", c.getLevel());
        out.put("levelGranted", c.getLevelGranted());
        out.put("country", c.getCountry());
        out.put("region", c.getRegion());
        out.put("documentType", c.getDocumentType());
        out.put("documentCountry", c.getDocumentCountry());
        out.put("attempt", c.getAttempt());
        out.put("submittedAt", c.getSubmittedAt());
        out.put("updatedAt", c.getUpdatedAt());
        out.put("decidedAt", c.getDecidedAt());
        out.put("decidedBy", c.getDecidedBy());
        out.put("accountClosedAt", c.getAccountClosedAt());
        out.put("reasons", split(c.getDecisionReasons()));
        out.put("resubmitDocuments", split(c.getResubmitKinds()));
        return out;
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : List.of(csv.split(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> details(KycCaseEntity c) {
        byte[] json = open(c.getKeyId(), c.getDetails(), DocumentVault.Field.details(realm, c.getId()));
        try {
            return JsonSerialization.readValue(new String(json, StandardCharsets.UTF_8), Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed field of a case ({@link DocumentVault.Field}: the writers' own format). */
    private byte[] open(String keyId, byte[] sealed, DocumentVault.Field field) {
        try {
            return new DocumentVault(session).open(keyId, sealed, field);
        } catch (DocumentVault.KeyUnavailableException e) {
            LOG.error(e.getMessage());
            throw ErrorResponse.error("The KYC encryption key is unavailable", Response.Status.SERVICE_UNAVAILABLE);
        }
    }

    private void audit(OperationType operation, Map<String, Object> representation, String... path) {
        adminEvent.operation(operation).resource(ResourceType.CUSTOM).resourcePath(path).representation(representation).success();
    }

}
