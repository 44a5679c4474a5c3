package dev.tillit.keycloak.kyc.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One image of a case (ID front, back, selfie) as stored: re-encoded (no metadata), then sealed
 * with AES-GCM under the vault key {@link #getKeyId()}. Size and SHA-256 describe the re-encoded
 * plaintext, so a reviewer's tool can check what it decrypted. Table {@code TILLIT_KYC_DOCUMENT}.
 */
@Entity
@Table(name = "TILLIT_KYC_DOCUMENT")
@NamedQueries({
        @NamedQuery(name = "tillitKycDocumentsOfCase",
                query = "select d from KycDocumentEntity d where d.caseId = :caseId order by d.createdAt"),
        @NamedQuery(name = "tillitKycDeleteDocumentsOfCase",
                query = "delete from KycDocumentEntity d where d.caseId = :caseId"),
        @NamedQuery(name = "tillitKycDeleteDocumentsOfCaseKind",
                query = "delete from KycDocumentEntity d where d.caseId = :caseId and d.kind = :kind"),
        @NamedQuery(name = "tillitKycDeleteDocumentsOfUser",
                query = "delete from KycDocumentEntity d where d.caseId in"
                        + " (select c.id from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId)"),
        @NamedQuery(name = "tillitKycDeleteDocumentsOfRealm",
                query = "delete from KycDocumentEntity d where d.caseId in"
                        + " (select c.id from KycCaseEntity c where c.realmId = :realmId)"),
})
public class KycDocumentEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "CASE_ID", length = 36, nullable = false)
    private String caseId;

    /** {@link dev.tillit.keycloak.kyc.DocumentKind#value()}. */
    @Column(name = "KIND", length = 16, nullable = false)
    private String kind;

    @Column(name = "CONTENT_TYPE", length = 64, nullable = false)
    private String contentType;

    /** Bytes of the re-encoded image before sealing. */
    @Column(name = "SIZE_BYTES", nullable = false)
    private long size;

    /** Hex SHA-256 of the re-encoded image before sealing. */
    @Column(name = "SHA256", length = 64, nullable = false)
    private String sha256;

    @Column(name = "DATA", nullable = false)
    private byte[] data;

    @Column(name = "KEY_ID", length = 64, nullable = false)
    private String keyId;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getCaseId() {
        return caseId;
    }

    public void setCaseId(String caseId) {
        this.caseId = caseId;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public long getSize() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public byte[] getData() {
        return data;
    }

    public void setData(byte[] data) {
        this.data = data;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }
}
