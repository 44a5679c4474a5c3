package dev.tillit.keycloak.kyc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One identity verification of one user: what they chose (country, document), their personal
 * details (encrypted), where it stands, and when. The documents are {@link KycDocumentEntity} rows.
 * Country and document type stay in clear text because reviewers filter the queue by them.
 */
@Entity
@Table(name = "TILLIT_KYC_CASE")
@NamedQueries({
        @NamedQuery(name = "tillitKycCasesOfUser",
                query = "select c from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId order by c.createdAt desc"),
        @NamedQuery(name = "tillitKycSubmissionsSince",
                query = "select count(c) from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId and c.submittedAt >= :since"),
        @NamedQuery(name = "tillitKycStaleDrafts",
                query = "select c.id from KycCaseEntity c where c.realmId = :realmId and c.status = 'draft' and c.updatedAt < :before"),
        @NamedQuery(name = "tillitKycUndecidedIdsOfUser",
                query = "select c.id from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId and c.decidedAt is null"),
        @NamedQuery(name = "tillitKycDecidedOfUser",
                query = "select c from KycCaseEntity c where c.realmId = :realmId and c.userId = :userId and c.decidedAt is not null"
                        + " and c.accountClosedAt is null"),
        @NamedQuery(name = "tillitKycRetentionEnded",
                query = "select c from KycCaseEntity c where c.realmId = :realmId and c.accountClosedAt < :before"),
        @NamedQuery(name = "tillitKycCaseIdsOfRealm",
                query = "select c.id from KycCaseEntity c where c.realmId = :realmId"),
        @NamedQuery(name = "tillitKycDeleteCases", query = "delete from KycCaseEntity c where c.id in :ids"),
        @NamedQuery(name = "tillitKycVendorDue",
                query = "select c.id from KycCaseEntity c where c.vendorState in ('queued', 'created', 'uploaded')"
                        + " and c.vendorNextAt <= :now and c.status = 'pending' order by c.vendorNextAt"),
        @NamedQuery(name = "tillitKycCaseOfApplicant",
                query = "select c from KycCaseEntity c where c.realmId = :realmId and c.vendor = :vendor"
                        + " and c.vendorApplicantId = :applicantId order by c.createdAt desc"),
})
public class KycCaseEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    /** The level asked for (1 = individual). */
    @Column(name = "LEVEL_REQUESTED", nullable = false)
    private int level;

    /** {@code draft} while the user fills it in, then the values of {@code kyc_status}. */
    @Column(name = "STATUS", length = 32, nullable = false)
    private String status;

    @Column(name = "COUNTRY", length = 2)
    private String country;

    /** ISO 3166-2 region asked for where a country is served only in part, e.g. CA-ON; "-" = none of them. */
    @Column(name = "REGION", length = 8)
    private String region;

    @Column(name = "DOCUMENT_TYPE", length = 32)
    private String documentType;

    @Column(name = "DOCUMENT_COUNTRY", length = 2)
    private String documentCountry;

    /** Name, date of birth and address as JSON, AES-GCM under {@link #keyId}. */
    @Column(name = "DETAILS")
    private byte[] details;

    @Column(name = "KEY_ID", length = 255)
    private String keyId;

    /** How many times this user has submitted, this case included (set on submission). */
    @Column(name = "ATTEMPT", nullable = false)
    private int attempt;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    @Column(name = "SUBMITTED_AT")
    private Long submittedAt;

    // ---- The reviewer's decision (change set tillit-kyc-2)
    /** The level granted on approval (1 or 2); null before. */
    @Column(name = "LEVEL_GRANTED")
    private Integer levelGranted;

    /** Reason codes of a rejection or a request to resubmit, comma-separated ({@code ReasonCode} ids). */
    @Column(name = "DECISION_REASONS", length = 255)
    private String decisionReasons;

    /** The documents a resubmission must redo, comma-separated {@link DocumentKind} ids ({@code front,selfie}). */
    @Column(name = "RESUBMIT_KINDS", length = 64)
    private String resubmitKinds;

    @Column(name = "DECIDED_AT")
    private Long decidedAt;

    /** Id of the reviewer (a user of the same realm) who decided. */
    @Column(name = "DECIDED_BY", length = 36)
    private String decidedBy;

    /** When the account was deleted (epoch ms); the retention period runs from here. Null while it exists. */
    @Column(name = "ACCOUNT_CLOSED_AT")
    private Long accountClosedAt;

    // ---- The vendor that decides it, when a KycVerifier other than manual does (change set tillit-kyc-3)
    /** The KycVerifier provider id the case was handed to ({@code sumsub}); null when people decide. */
    @Column(name = "VENDOR", length = 32)
    private String vendor;

    /** The vendor's id of the case (Sumsub's applicant id), once it made one. */
    @Column(name = "VENDOR_APPLICANT_ID", length = 64)
    private String vendorApplicantId;

    /** How far the hand-off got: queued, created, uploaded, submitted (the vendor is checking it). */
    @Column(name = "VENDOR_STATE", length = 32)
    private String vendorState;

    /** Hand-off attempts that failed so far; the next waits twice as long as the one before. */
    @Column(name = "VENDOR_ATTEMPTS")
    private Integer vendorAttempts;

    /** When (epoch ms) the retry task may take the case up next; also a lease while one node hands it off. */
    @Column(name = "VENDOR_NEXT_AT")
    private Long vendorNextAt;

    /** Why the last attempt failed, for the operator (status and start of the vendor's answer; never a secret). */
    @Column(name = "VENDOR_ERROR", length = 255)
    private String vendorError;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public int getLevel() { return level; }
    public void setLevel(int level) { this.level = level; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getCountry() { return country; }
    public void setCountry(String country) { this.country = country; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public String getDocumentType() { return documentType; }
    public void setDocumentType(String documentType) { this.documentType = documentType; }
    public String getDocumentCountry() { return documentCountry; }
    public void setDocumentCountry(String documentCountry) { this.documentCountry = documentCountry; }
    public byte[] getDetails() { return details; }
    public void setDetails(byte[] details) { this.details = details; }
    public String getKeyId() { return keyId; }
    public void setKeyId(String keyId) { this.keyId = keyId; }
    public int getAttempt() { return attempt; }
    public void setAttempt(int attempt) { this.attempt = attempt; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long createdAt) { this.createdAt = createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(long updatedAt) { this.updatedAt = updatedAt; }
    public Long getSubmittedAt() { return submittedAt; }
    public void setSubmittedAt(Long submittedAt) { this.submittedAt = submittedAt; }
    public Integer getLevelGranted() { return levelGranted; }
    public void setLevelGranted(Integer levelGranted) { this.levelGranted = levelGranted; }
    public String getDecisionReasons() { return decisionReasons; }
    public void setDecisionReasons(String decisionReasons) { this.decisionReasons = decisionReasons; }
    public String getResubmitKinds() { return resubmitKinds; }
    public void setResubmitKinds(String resubmitKinds) { this.resubmitKinds = resubmitKinds; }
    public Long getDecidedAt() { return decidedAt; }
    public void setDecidedAt(Long decidedAt) { this.decidedAt = decidedAt; }
    public String getDecidedBy() { return decidedBy; }
    public void setDecidedBy(String decidedBy) { this.decidedBy = decidedBy; }
    public Long getAccountClosedAt() { return accountClosedAt; }
    public void setAccountClosedAt(Long accountClosedAt) { this.accountClosedAt = accountClosedAt; }
    public String getVendor() { return vendor; }
    public void setVendor(String vendor) { this.vendor = vendor; }
    public String getVendorApplicantId() { return vendorApplicantId; }
    public void setVendorApplicantId(String vendorApplicantId) { this.vendorApplicantId = vendorApplicantId; }
    public String getVendorState() { return vendorState; }
    public void setVendorState(String vendorState) { this.vendorState = vendorState; }
    public Integer getVendorAttempts() { return vendorAttempts; }
    public void setVendorAttempts(Integer vendorAttempts) { this.vendorAttempts = vendorAttempts; }
    public Long getVendorNextAt() { return vendorNextAt; }
    public void setVendorNextAt(Long vendorNextAt) { this.vendorNextAt = vendorNextAt; }
    public String getVendorError() { return vendorError; }
    public void setVendorError(String vendorError) { this.vendorError = vendorError; }
}
