package dev.tillit.keycloak.kyc.vendor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.vault.VaultStringSecret;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.DocumentVault;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import dev.tillit.keycloak.kyc.KycDocumentEntity;
import dev.tillit.keycloak.kyc.KycRequiredActionFactory;
import dev.tillit.keycloak.kyc.KycStore;
import dev.tillit.keycloak.settings.TillitSettings;
import dev.tillit.keycloak.sms.GatewayHttp;

/**
 * Hands one case to Sumsub: create the applicant, add the ID's pictures and the selfie, request
 * the check. Runs off any request (after the submission committed, or from the retry task), in
 * three steps so no database lock is held while Sumsub answers: read the case and open its
 * pictures; talk to Sumsub; record how far it got. The case remembers each stage reached
 * ({@code created}, {@code uploaded}, {@code submitted}) and Sumsub's applicant id, so a retry
 * resumes where the last attempt stopped and the case reaches Sumsub once.
 */
final class SumsubHandOff {

    static final String QUEUED = "queued";
    static final String CREATED = "created";
    static final String UPLOADED = "uploaded";
    static final String SUBMITTED = "submitted";
    /** How long one node may work on a case before the retry task takes it up (a crashed node's case). */
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration LONGEST_PAUSE = Duration.ofHours(6);

    private static final Logger LOG = Logger.getLogger(SumsubHandOff.class);

    private SumsubHandOff() {
    }

    /** What one attempt needs, read in a transaction of its own. */
    private record Work(String realmId, String userId, String caseId, String state, String applicantId, String level,
                        String url, String appToken, String secretKey, String problem, List<Picture> pictures) {
    }

    /** The user's applicant at Sumsub from an earlier case, and the picture kinds that case was sent back for (null: all). */
    private record Earlier(String applicantId, Set<String> redo) {
    }

    private record Picture(String kind, Map<String, String> metadata, byte[] content, String contentType) {
    }

    /** How far an attempt got, and why it stopped (null: all the way). */
    private record Result(String state, String applicantId, String problem) {
    }

    static void run(KeycloakSessionFactory factory, GatewayHttp http, String realmId, String caseId) {
        Work work = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> read(s, realmId, caseId));
        if (work == null) {
            return;
        }
        Result result = work.problem() != null ? new Result(work.state(), work.applicantId(), work.problem()) : talk(http, work);
        KeycloakModelUtils.runJobInTransaction(factory, s -> record(s, work, result));
    }

    private static Work read(KeycloakSession session, String realmId, String caseId) {
        RealmModel realm = session.realms().getRealm(realmId);
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        KycCaseEntity c = em.find(KycCaseEntity.class, caseId, LockModeType.PESSIMISTIC_WRITE);
        if (realm == null || c == null || !KycStore.PENDING.equals(c.getStatus()) || !SumsubKycVerifierFactory.ID.equals(c.getVendor())
                || c.getVendorState() == null || SUBMITTED.equals(c.getVendorState())) {
            return null;
        }
        session.getContext().setRealm(realm);
        // This node works on it now; the retry task leaves it alone until the lease ends.
        c.setVendorNextAt(System.currentTimeMillis() + LEASE.toMillis());
        TillitSettings settings = TillitSettings.of(realm);
        String appToken = secret(session, settings.kycSumsubAppTokenReference());
        String secretKey = secret(session, settings.kycSumsubSecretKeyReference());
        String problem = appToken == null || secretKey == null
                ? "the Tillit settings \"Sumsub app token\" and \"Sumsub secret key\" must name vault entries that exist" : null;
        String state = c.getVendorState();
        String applicantId = c.getVendorApplicantId();
        Set<String> redo = null;
        Earlier earlier = UPLOADED.equals(state) ? null : earlier(em, c);
        // Also on a retry of this hand-off (the applicant id already recorded): still only the redone pictures.
        if (earlier != null && (applicantId == null || applicantId.equals(earlier.applicantId()))) {
            // Sumsub keeps one applicant per person: pictures redone after a RETRY are added to it and it is
            // checked again (docs.sumsub.com/reference/add-id-documents: "a new image will always be added";
            // .../get-started-with-api: request a check once the documents are in).
            if (applicantId == null) {
                applicantId = earlier.applicantId();
                state = CREATED;
            }
            redo = earlier.redo();
        }
        List<Picture> pictures = new ArrayList<>();
        if (problem == null && !UPLOADED.equals(state)) {
            try {
                pictures = pictures(session, realm, c, redo);
            } catch (RuntimeException e) {
                problem = "the case's pictures do not open: " + e.getMessage();
            }
        }
        return new Work(realmId, c.getUserId(), c.getId(), state, applicantId,
                settings.kycSumsubLevelName(), settings.kycSumsubUrl(), appToken, secretKey, problem, pictures);
    }

    /** The user's latest earlier case that reached Sumsub, if any. */
    private static Earlier earlier(EntityManager em, KycCaseEntity c) {
        return em.createNamedQuery("tillitKycCasesOfUser", KycCaseEntity.class)
                .setParameter("realmId", c.getRealmId()).setParameter("userId", c.getUserId()).getResultStream()
                .filter(e -> !e.getId().equals(c.getId()) && SumsubKycVerifierFactory.ID.equals(e.getVendor())
                        && e.getVendorApplicantId() != null)
                .findFirst()
                .map(e -> new Earlier(e.getVendorApplicantId(),
                        KycStore.RESUBMISSION_REQUIRED.equals(e.getStatus()) ? KycStore.redoKinds(e) : null))
                .orElse(null);
    }

    /**
     * The ID's front (and back) and the selfie, decrypted, with Sumsub's metadata for each; after a
     * RETRY ({@code redo} not null) only the pictures taken again, the ID's sides together (Sumsub
     * wants BACK_SIDE after FRONT_SIDE: docs.sumsub.com/reference/add-id-documents).
     */
    private static List<Picture> pictures(KeycloakSession session, RealmModel realm, KycCaseEntity c, Set<String> redo) {
        DocumentVault vault = new DocumentVault(session);
        List<KycDocumentEntity> stored = new KycStore(session).documents(c);
        boolean twoSided = stored.stream().anyMatch(d -> DocumentKind.BACK.id().equals(d.getKind()));
        String country = alpha3(c.getDocumentCountry() != null ? c.getDocumentCountry() : c.getCountry());
        List<Picture> pictures = new ArrayList<>();
        for (DocumentKind kind : List.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE)) {
            KycDocumentEntity d = stored.stream().filter(x -> kind.id().equals(x.getKind())).findFirst().orElse(null);
            if (d == null || redo != null && !redone(kind, redo)) {
                continue;
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("idDocType", kind == DocumentKind.SELFIE ? "SELFIE" : idDocType(c.getDocumentType()));
            metadata.put("country", country);
            if (twoSided && kind != DocumentKind.SELFIE) {
                metadata.put("idDocSubType", kind == DocumentKind.FRONT ? "FRONT_SIDE" : "BACK_SIDE");
            }
            byte[] content = vault.open(d.getKeyId(), d.getContent(), DocumentVault.Field.picture(realm, c.getId(), d.getKind()));
            pictures.add(new Picture(kind.id(), metadata, content, d.getContentType()));
        }
        return pictures;
    }

    private static Result talk(GatewayHttp http, Work work) {
        String state = work.state();
        String applicantId = work.applicantId();
        try {
            SumsubApi api = new SumsubApi(http, work.url(), work.appToken(), work.secretKey());
            if (applicantId == null) {
                // One applicant per person, named by the account's id: a later case of the same user is the same applicant.
                applicantId = api.createApplicant(work.userId(), work.level());
                state = CREATED;
            }
            if (!UPLOADED.equals(state)) {
                for (Picture p : work.pictures()) {
                    api.addIdDoc(applicantId, p.metadata(), p.content(), p.kind() + ".jpg", p.contentType());
                }
                state = UPLOADED;
            }
            api.requestCheck(applicantId);
            return new Result(SUBMITTED, applicantId, null);
        } catch (VendorException e) {
            return new Result(applicantId == null ? work.state() : state, applicantId, e.getMessage());
        }
    }

    private static void record(KeycloakSession session, Work work, Result result) {
        RealmModel realm = session.realms().getRealm(work.realmId());
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        KycCaseEntity c = em.find(KycCaseEntity.class, work.caseId(), LockModeType.PESSIMISTIC_WRITE);
        if (realm == null || c == null) {
            return;
        }
        session.getContext().setRealm(realm);
        c.setVendorApplicantId(result.applicantId());
        c.setVendorState(result.state());
        EventBuilder event = new EventBuilder(realm, session).user(work.userId())
                .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                .detail(TillitEvents.KYC_CASE, c.getId())
                .detail(TillitEvents.KYC_VERIFIER, SumsubKycVerifierFactory.ID);
        if (result.applicantId() != null) {
            event.detail(TillitEvents.KYC_VENDOR_APPLICANT, result.applicantId());
        }
        if (result.problem() == null) {
            c.setVendorNextAt(null);
            c.setVendorError(null);
            event.event(EventType.CUSTOM_REQUIRED_ACTION).detail(TillitEvents.DETAIL, TillitEvents.KYC_VENDOR_SUBMITTED).success();
            LOG.debugf("KYC case %s handed to Sumsub as applicant %s", c.getId(), result.applicantId());
            return;
        }
        int attempts = (c.getVendorAttempts() == null ? 0 : c.getVendorAttempts()) + 1;
        long pause = backoff(TillitSettings.of(realm).kycVendorRetryDelay(), attempts).toMillis();
        c.setVendorAttempts(attempts);
        c.setVendorNextAt(System.currentTimeMillis() + pause);
        c.setVendorError(result.problem().length() > 255 ? result.problem().substring(0, 255) : result.problem());
        event.event(EventType.CUSTOM_REQUIRED_ACTION_ERROR).detail(TillitEvents.DETAIL, TillitEvents.KYC_VENDOR_FAILED)
                .detail(Details.REASON, c.getVendorError()).error(TillitEvents.ERROR_VENDOR_UNAVAILABLE);
        LOG.warnf("KYC case %s not handed to Sumsub (attempt %d, stage %s): %s; next attempt in %d s", c.getId(), attempts,
                result.state(), result.problem(), pause / 1000);
    }

    private static boolean redone(DocumentKind kind, Set<String> redo) {
        boolean id = redo.contains(DocumentKind.FRONT.id()) || redo.contains(DocumentKind.BACK.id());
        return kind == DocumentKind.SELFIE ? redo.contains(DocumentKind.SELFIE.id()) : id;
    }

    /** The pause after the {@code attempts}-th failure: the first delay, doubled each time, at most {@link #LONGEST_PAUSE}. */
    static Duration backoff(Duration first, int attempts) {
        Duration pause = first;
        for (int i = 1; i < attempts && pause.compareTo(LONGEST_PAUSE) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    /** Sumsub's idDocType for our document type. */
    static String idDocType(String documentType) {
        return switch (documentType == null ? "" : documentType) {
            case "passport" -> "PASSPORT";
            case "driving_licence" -> "DRIVERS";
            case "residence_permit" -> "RESIDENCE_PERMIT";
            default -> "ID_CARD";
        };
    }

    /**
     * ISO 3166 alpha-3 (SWE) for alpha-2 (SE), as Sumsub's metadata wants ("country": alpha-3,
     * docs.sumsub.com/reference/add-id-documents). Kosovo has no ISO code, so Java knows no alpha-3
     * for its user-assigned XK; Sumsub takes the user-assigned XKX.
     */
    static String alpha3(String alpha2) {
        if ("XK".equals(alpha2)) {
            return "XKX";
        }
        try {
            return new Locale("", alpha2 == null ? "" : alpha2).getISO3Country();
        } catch (MissingResourceException e) {
            return alpha2;
        }
    }

    /** A vault entry's value; a plain value (accepted on save in development mode only) is used as it stands. */
    static String secret(KeycloakSession session, String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference.trim())) {
            return secret.get().filter(s -> !s.isBlank()).orElse(null);
        }
    }
}
