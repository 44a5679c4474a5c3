package dev.tillit.keycloak.kyc.store;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Reads and writes KYC cases and documents in Keycloak's database, inside the request's transaction. */
public final class KycStore {

    private final EntityManager em;

    private KycStore(EntityManager em) {
        this.em = em;
    }

    public static KycStore of(KeycloakSession session) {
        return new KycStore(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** The user's newest case, whatever its status. */
    public Optional<KycCaseEntity> latestCase(RealmModel realm, String userId) {
        return em.createNamedQuery("tillitKycCasesOfUser", KycCaseEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    public List<KycCaseEntity> cases(RealmModel realm, String userId) {
        return em.createNamedQuery("tillitKycCasesOfUser", KycCaseEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .getResultList();
    }

    public KycCaseEntity create(RealmModel realm, String userId, int level, String status, String step) {
        KycCaseEntity c = new KycCaseEntity();
        c.setId(KeycloakModelUtils.generateId());
        c.setRealmId(realm.getId());
        c.setUserId(userId);
        c.setLevel(level);
        c.setStatus(status);
        c.setStep(step);
        long now = Time.currentTimeMillis();
        c.setCreatedAt(now);
        c.setUpdatedAt(now);
        em.persist(c);
        return c;
    }

    /** Marks the case changed now (drafts untouched for the retention period expire). */
    public void touch(KycCaseEntity c) {
        c.setUpdatedAt(Time.currentTimeMillis());
    }

    /** Cases of the user submitted at or after {@code sinceMillis}. */
    public long submittedSince(RealmModel realm, String userId, long sinceMillis) {
        return em.createNamedQuery("tillitKycSubmittedSince", Long.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setParameter("since", sinceMillis)
                .getSingleResult();
    }

    public List<KycDocumentEntity> documents(String caseId) {
        return em.createNamedQuery("tillitKycDocumentsOfCase", KycDocumentEntity.class)
                .setParameter("caseId", caseId)
                .getResultList();
    }

    /** Stores a document, replacing one of the same kind on the same case (a new photo of the front, say). */
    public KycDocumentEntity putDocument(String caseId, String kind, String contentType, long size, String sha256,
                                        String id, byte[] sealed, String keyId) {
        em.createNamedQuery("tillitKycDeleteDocumentsOfCaseKind")
                .setParameter("caseId", caseId)
                .setParameter("kind", kind)
                .executeUpdate();
        KycDocumentEntity d = new KycDocumentEntity();
        d.setId(id);
        d.setCaseId(caseId);
        d.setKind(kind);
        d.setContentType(contentType);
        d.setSize(size);
        d.setSha256(sha256);
        d.setData(sealed);
        d.setKeyId(keyId);
        d.setCreatedAt(Time.currentTimeMillis());
        em.persist(d);
        return d;
    }

    public void deleteCase(String caseId) {
        em.createNamedQuery("tillitKycDeleteDocumentsOfCase").setParameter("caseId", caseId).executeUpdate();
        KycCaseEntity c = em.find(KycCaseEntity.class, caseId);
        if (c != null) {
            em.remove(c);
        }
    }

    /** Drafts of the realm not changed since {@code beforeMillis}: abandoned, removed with their documents. */
    public int deleteDraftsUntouchedSince(RealmModel realm, String draftStatus, long beforeMillis) {
        List<String> ids = em.createNamedQuery("tillitKycExpiredDrafts", String.class)
                .setParameter("realmId", realm.getId())
                .setParameter("status", draftStatus)
                .setParameter("before", beforeMillis)
                .getResultList();
        ids.forEach(this::deleteCase);
        return ids.size();
    }

    /** Everything the user gave: every case and every document. */
    public void deleteUserData(RealmModel realm, String userId) {
        em.flush();
        em.createNamedQuery("tillitKycDeleteDocumentsOfUser")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .executeUpdate();
        em.createNamedQuery("tillitKycDeleteCasesOfUser")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .executeUpdate();
    }

    public void deleteRealmData(RealmModel realm) {
        em.flush();
        em.createNamedQuery("tillitKycDeleteDocumentsOfRealm").setParameter("realmId", realm.getId()).executeUpdate();
        em.createNamedQuery("tillitKycDeleteCasesOfRealm").setParameter("realmId", realm.getId()).executeUpdate();
    }
}
