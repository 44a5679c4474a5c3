package dev.tillit.keycloak.kyc.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One identity verification of one user: what they chose on each screen, their personal details
 * (sealed: AES-GCM under the vault key named by {@link #getDetailsKeyId()}), where they are in the
 * flow and how the review went. Table {@code TILLIT_KYC_CASE} (changelog {@code META-INF/tillit-kyc-changelog.xml}).
 */
@Entity
@Table(name = "TILLIT_KYC_CASE")
@NamedQueries({
        @NamedQuery(name = "tillitKycCasesOfUser",
                query = "select c from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId order by c.createdAt desc"),
        @NamedQuery(name = "tillitKycSubmittedSince",
                query = "select count(c) from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId and c.submittedAt >= :since"),
        @NamedQuery(name = "tillitKycDeleteCasesOfUser",
                query = "delete from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId"),
        @NamedQuery(name = "tillitKycDeleteCasesOfRealm",
                query = "delete from KycCaseEntity c where c.realmId = :realmId"),
        @NamedQuery(name = "tillitKycExpiredDrafts",
                query = "select c.id from KycCaseEntity c where c.realmId = :realmId and c.status = :status and c.updatedAt < :before"),
})
public class KycCaseEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    /** The level applied for: 1 (individual) or 2 (business). */
    @Column(name = "KYC_LEVEL", nullable = false)
    private int level;

    /** {@link dev.tillit.keycloak.kyc.KycStatus#value()}. */
    @Column(name = "STATUS", length = 32, nullable = false)
    private String status;

    /** The screen the user is on while the case is a draft ({@link dev.tillit.keycloak.kyc.KycStep}). */
    @Column(name = "STEP", length = 32)
    private String step;

    /** ISO 3166-1 alpha-2 of the country of residence. */
    @Column(name = "COUNTRY", length = 2)
    private String country;

    /** ISO 3166-2 subdivision where the country has restricted regions (e.g. CA-QC), else null. */
    @Column(name = "REGION", length = 6)
    private String region;

    @Column(name = "DOCUMENT_TYPE", length = 32)
    private String documentType;

    @Column(name = "ISSUING_COUNTRY", length = 2)
    private String issuingCountry;

    /** Sealed JSON of the personal details (name, date of birth, address). */
    @Column(name = "DETAILS")
    private byte[] details;

    @Column(name = "DETAILS_KEY_ID", length = 64)
    private String detailsKeyId;

    /** Uploads tried on this case, refused ones included. */
    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    /** Epoch milliseconds. */
    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    @Column(name = "SUBMITTED_AT")
    private Long submittedAt;

    @Column(name = "REVIEWED_AT")
    private Long reviewedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public int getLevel() {
        return level;
    }

    public void setLevel(int level) {
        this.level = level;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getStep() {
        return step;
    }

    public void setStep(String step) {
        this.step = step;
    }

    public String getCountry() {
        return country;
    }

    public void setCountry(String country) {
        this.country = country;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getDocumentType() {
        return documentType;
    }

    public void setDocumentType(String documentType) {
        this.documentType = documentType;
    }

    public String getIssuingCountry() {
        return issuingCountry;
    }

    public void setIssuingCountry(String issuingCountry) {
        this.issuingCountry = issuingCountry;
    }

    public byte[] getDetails() {
        return details;
    }

    public void setDetails(byte[] details) {
        this.details = details;
    }

    public String getDetailsKeyId() {
        return detailsKeyId;
    }

    public void setDetailsKeyId(String detailsKeyId) {
        this.detailsKeyId = detailsKeyId;
    }

    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }

    public Long getSubmittedAt() {
        return submittedAt;
    }

    public void setSubmittedAt(Long submittedAt) {
        this.submittedAt = submittedAt;
    }

    public Long getReviewedAt() {
        return reviewedAt;
    }

    public void setReviewedAt(Long reviewedAt) {
        this.reviewedAt = reviewedAt;
    }
}
