package dev.tillit.keycloak.kyc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One picture of a case (the ID's front or back, a selfie frame): re-encoded without metadata,
 * then encrypted. Size and SHA-256 are of the stored picture before encryption, so a reviewer's
 * tool can prove it shows what was checked.
 */
@Entity
@Table(name = "TILLIT_KYC_DOCUMENT")
@NamedQueries({
        @NamedQuery(name = "tillitKycDocumentsOfCase",
                query = "select d from KycDocumentEntity d where d.caseId = :caseId order by d.createdAt"),
        @NamedQuery(name = "tillitKycDocumentKindsOfCase",
                query = "select d.kind from KycDocumentEntity d where d.caseId = :caseId"),
        @NamedQuery(name = "tillitKycDeleteDocumentOfKind",
                query = "delete from KycDocumentEntity d where d.caseId = :caseId and d.kind = :kind"),
        @NamedQuery(name = "tillitKycDeleteDocuments", query = "delete from KycDocumentEntity d where d.caseId in :ids"),
})
public class KycDocumentEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "CASE_ID", length = 36, nullable = false)
    private String caseId;

    /** {@link DocumentKind} id: front, back, selfie. */
    @Column(name = "KIND", length = 32, nullable = false)
    private String kind;

    @Column(name = "CONTENT_TYPE", length = 64, nullable = false)
    private String contentType;

    @Column(name = "SIZE_BYTES", nullable = false)
    private long size;

    @Column(name = "SHA256", length = 64, nullable = false)
    private String sha256;

    @Column(name = "KEY_ID", length = 255, nullable = false)
    private String keyId;

    @Column(name = "CONTENT", nullable = false)
    private byte[] content;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getCaseId() { return caseId; }
    public void setCaseId(String caseId) { this.caseId = caseId; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getContentType() { return contentType; }
    public void setContentType(String contentType) { this.contentType = contentType; }
    public long getSize() { return size; }
    public void setSize(long size) { this.size = size; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    public String getKeyId() { return keyId; }
    public void setKeyId(String keyId) { this.keyId = keyId; }
    public byte[] getContent() { return content; }
    public void setContent(byte[] content) { this.content = content; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
}
