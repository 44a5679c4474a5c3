package dev.tillit.keycloak.kyc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.EntityManager;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The KYC tables through Keycloak's own entity manager, so every change commits or rolls back
 * with the request's transaction (a crash mid-upload leaves the previous picture, not half of one).
 */
public final class KycStore {

    public static final String DRAFT = "draft";
    public static final String PENDING = "pending";
    public static final String RESUBMISSION_REQUIRED = "resubmission_required";

    private final EntityManager em;

    public KycStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The user's newest case, whatever its status. */
    public Optional<KycCaseEntity> latest(RealmModel realm, UserModel user) {
        return em.createNamedQuery("tillitKycCasesOfUser", KycCaseEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("userId", user.getId())
                .setMaxResults(1).getResultStream().findFirst();
    }

    /** The case being filled in, made if there is none. */
    public KycCaseEntity draft(RealmModel realm, UserModel user) {
        return latest(realm, user).filter(c -> DRAFT.equals(c.getStatus())).orElseGet(() -> {
            KycCaseEntity c = new KycCaseEntity();
            c.setId(KeycloakModelUtils.generateId());
            c.setRealmId(realm.getId());
            c.setUserId(user.getId());
            c.setStatus(DRAFT);
            c.setLevel(1);
            long now = System.currentTimeMillis();
            c.setCreatedAt(now);
            c.setUpdatedAt(now);
            em.persist(c);
            return c;
        });
    }

    /**
     * The draft that redoes a case a reviewer sent back: the country, ID and details carried over,
     * and every picture but the ones asked for. Encrypted values are bound to their case, so they
     * are opened and sealed again for the new one.
     */
    public KycCaseEntity resubmissionDraft(RealmModel realm, UserModel user, KycCaseEntity decided, DocumentVault vault,
                                           String keyReference) {
        KycCaseEntity draft = draft(realm, user);
        draft.setLevel(decided.getLevel());
        draft.setCountry(decided.getCountry());
        draft.setRegion(decided.getRegion());
        draft.setDocumentType(decided.getDocumentType());
        draft.setDocumentCountry(decided.getDocumentCountry());
        if (decided.getDetails() != null) {
            DocumentVault.Sealed details = vault.seal(keyReference, vault.open(decided.getKeyId(), decided.getDetails(),
                    DocumentVault.Field.details(realm, decided.getId())),
                    DocumentVault.Field.details(realm, draft.getId()));
            draft.setDetails(details.bytes());
            draft.setKeyId(details.keyId());
        }
        Set<String> redo = redoKinds(decided);
        for (KycDocumentEntity kept : documents(decided)) {
            if (redo.contains(kept.getKind()) || redo.contains(kept.getKind().replaceFirst("_(left|right)$", ""))) {
                continue;
            }
            byte[] picture = vault.open(kept.getKeyId(), kept.getContent(),
                    DocumentVault.Field.picture(realm, decided.getId(), kept.getKind()));
            DocumentVault.Sealed sealed = vault.seal(keyReference, picture,
                    DocumentVault.Field.picture(realm, draft.getId(), kept.getKind()));
            KycDocumentEntity copy = new KycDocumentEntity();
            copy.setId(KeycloakModelUtils.generateId());
            copy.setCaseId(draft.getId());
            copy.setKind(kept.getKind());
            copy.setContentType(kept.getContentType());
            copy.setSize(kept.getSize());
            copy.setSha256(kept.getSha256());
            copy.setKeyId(sealed.keyId());
            copy.setContent(sealed.bytes());
            copy.setCreatedAt(System.currentTimeMillis());
            em.persist(copy);
        }
        touch(draft);
        return draft;
    }

    /** The pictures a sent-back case asked for again. */
    public static Set<String> redoKinds(KycCaseEntity decided) {
        String kinds = decided.getResubmitKinds();
        return kinds == null || kinds.isBlank() ? Set.of() : Set.of(kinds.trim().split("\\s*,\\s*"));
    }

    /** The case decided just before this draft, if the reviewer sent it back: its reasons are shown while redoing. */
    public Optional<KycCaseEntity> sentBack(RealmModel realm, UserModel user, KycCaseEntity draft) {
        return em.createNamedQuery("tillitKycCasesOfUser", KycCaseEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("userId", user.getId())
                .setMaxResults(2).getResultStream()
                .filter(c -> !c.getId().equals(draft.getId()) && RESUBMISSION_REQUIRED.equals(c.getStatus()))
                .findFirst();
    }

    public void touch(KycCaseEntity c) {
        c.setUpdatedAt(System.currentTimeMillis());
    }

    public Set<String> documentKinds(KycCaseEntity c) {
        return Set.copyOf(em.createNamedQuery("tillitKycDocumentKindsOfCase", String.class)
                .setParameter("caseId", c.getId()).getResultList());
    }

    public List<KycDocumentEntity> documents(KycCaseEntity c) {
        return em.createNamedQuery("tillitKycDocumentsOfCase", KycDocumentEntity.class)
                .setParameter("caseId", c.getId()).getResultList();
    }

    /** Stores a picture, replacing any earlier one of the same kind in the case. */
    public void putDocument(KycCaseEntity c, KycDocumentEntity document) {
        removeDocument(c, document.getKind());
        em.flush();
        em.persist(document);
        touch(c);
    }

    public void removeDocument(KycCaseEntity c, String kind) {
        em.createNamedQuery("tillitKycDeleteDocumentOfKind")
                .setParameter("caseId", c.getId()).setParameter("kind", kind).executeUpdate();
    }

    public long submissionsSince(RealmModel realm, UserModel user, Duration window) {
        return em.createNamedQuery("tillitKycSubmissionsSince", Long.class)
                .setParameter("realmId", realm.getId()).setParameter("userId", user.getId())
                .setParameter("since", System.currentTimeMillis() - window.toMillis()).getSingleResult();
    }

    /** Everything the pack keeps about a user's verification; for account deletion. */
    /** Ids of the user's cases nobody has decided (drafts and pending ones). */
    public List<String> undecidedIdsOf(String realmId, String userId) {
        return em.createNamedQuery("tillitKycUndecidedIdsOfUser", String.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    /** The user's decided cases whose account has not been recorded as closed. */
    public List<KycCaseEntity> decidedOf(String realmId, String userId) {
        return em.createNamedQuery("tillitKycDecidedOfUser", KycCaseEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).getResultList();
    }

    /** Cases of the realm whose account closed before {@code before} (epoch ms), a batch at a time. */
    public List<KycCaseEntity> closedBefore(String realmId, long before) {
        return em.createNamedQuery("tillitKycRetentionEnded", KycCaseEntity.class)
                .setParameter("realmId", realmId).setParameter("before", before).setMaxResults(500).getResultList();
    }

    public List<KycCaseEntity> byIds(List<String> caseIds) {
        return caseIds.stream().map(id -> em.find(KycCaseEntity.class, id)).filter(java.util.Objects::nonNull).toList();
    }

    /** Whether a case of the realm other than {@code except} names this vendor applicant. */
    public boolean applicantNamedElsewhere(String realmId, String vendor, String applicantId, java.util.Collection<String> except) {
        return em.createNamedQuery("tillitKycCaseOfApplicant", KycCaseEntity.class)
                .setParameter("realmId", realmId).setParameter("vendor", vendor).setParameter("applicantId", applicantId)
                .getResultStream().anyMatch(c -> !except.contains(c.getId()));
    }

    /** Deletes these cases with their pictures. */
    public int delete(List<String> caseIds) {
        if (caseIds.isEmpty()) {
            return 0;
        }
        em.createNamedQuery("tillitKycDeleteDocuments").setParameter("ids", caseIds).executeUpdate();
        return em.createNamedQuery("tillitKycDeleteCases").setParameter("ids", caseIds).executeUpdate();
    }

    public int deleteAllOfRealm(String realmId) {
        return delete(em.createNamedQuery("tillitKycCaseIdsOfRealm", String.class)
                .setParameter("realmId", realmId).getResultList());
    }

    /** The realm's drafts untouched since {@code before} (epoch ms), with their pictures. */
    public int deleteDraftsUntouchedSince(String realmId, long before) {
        return delete(em.createNamedQuery("tillitKycStaleDrafts", String.class)
                .setParameter("realmId", realmId).setParameter("before", before).setMaxResults(500).getResultList());
    }
}
