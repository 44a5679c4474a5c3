package dev.tillit.keycloak;

/**
 * The one vocabulary of Tillit's events. Every security-relevant step emits a Keycloak event
 * (a standard type where one fits, else {@code CUSTOM_REQUIRED_ACTION}) whose detail
 * {@link #DETAIL} names what happened, so a listener or a SIEM can route on one key.
 * Emitters and listeners use these constants; Keycloak's {@code Details}/{@code Errors} are used
 * wherever Keycloak has a name of its own.
 */
public final class TillitEvents {

    /** Event detail that names what happened; its values are the constants below. */
    public static final String DETAIL = "tillit_event";
    /** Event detail: which step a code belongs to ({@code register}, {@code reset}, ...). */
    public static final String PURPOSE = "purpose";
    /** Event detail: {@code sms} or {@code email}. */
    public static final String CHANNEL = "channel";

    /** An SMS or email second factor was set up (event {@code UPDATE_CREDENTIAL} with its credential type). */
    public static final String SECOND_FACTOR_ADDED = "second_factor_added";
    /**
     * Setting up a second factor proved a number or address the account did not hold verified
     * before, and stored it (event {@code UPDATE_PROFILE} / {@code UPDATE_EMAIL} with the
     * previous and updated value).
     */
    public static final String CONTACT_ADDED = "contact_added";

    public static final String CODE_SENT = "code_sent";
    public static final String CODE_VERIFIED = "code_verified";
    public static final String CODE_FAILED = "code_failed";
    public static final String CODE_EXPIRED = "code_expired";
    public static final String CODE_TOO_MANY_ATTEMPTS = "code_too_many_attempts";
    public static final String CODE_SEND_LIMITED = "code_send_limited";
    public static final String CODE_COUNTRY_BLOCKED = "code_country_blocked";
    public static final String CODE_DELIVERY_FAILED = "code_delivery_failed";
    /** Too many wrong codes against one account or recipient: new codes only after a wait. */
    public static final String CODE_GUESSING_PAUSED = "code_guessing_paused";
    /** A code step was started over ("use another email or number"): any pending code is void. */
    public static final String CODE_STEP_RESTARTED = "code_step_restarted";

    /** The mobile app's password grant refused for an account whose second factor is an SMS or email code. */
    public static final String DIRECT_GRANT_SECOND_FACTOR_REQUIRED = "direct_grant_second_factor_required";

    public static final String REGISTERED = "registered";
    /** Also a withdrawal-lock reason: the password was reset (our reset flow, Keycloak's, or an admin). */
    public static final String PASSWORD_RESET = "password_reset";
    /**
     * Withdrawals were locked. The lock event carries Keycloak's {@code Details.REASON} with one of
     * the reason values below (or {@link #PASSWORD_RESET}) and the lock's end.
     */
    public static final String WITHDRAWAL_LOCKED = "withdrawal_locked";

    /** Withdrawal-lock reasons (values of {@code Details.REASON} on a {@link #WITHDRAWAL_LOCKED} event). */
    public static final String PASSWORD_CHANGED = "password_changed";
    public static final String SECOND_FACTOR_REMOVED = "second_factor_removed";
    public static final String EMAIL_CHANGED = "email_changed";
    public static final String PHONE_CHANGED = "phone_changed";

    /**
     * The detail Keycloak's user-profile auditing ({@code EventAuditingAttributeChangeListener}) writes
     * for the previous value of {@code phone_number} ({@code Details.PREF_PREVIOUS + attribute}).
     */
    public static final String PREVIOUS_PHONE_NUMBER = "previous_" + TillitAttributes.PHONE_NUMBER;
    /** Likewise for the new value. */
    public static final String UPDATED_PHONE_NUMBER = "updated_" + TillitAttributes.PHONE_NUMBER;

    /** Identity verification: a case was submitted for review (detail {@link #KYC_CASE}). */
    public static final String KYC_SUBMITTED = "kyc_submitted";
    /** A picture of a case passed the checks and was stored sealed (detail {@link #KYC_DOCUMENT_KIND}). */
    public static final String KYC_DOCUMENT_STORED = "kyc_document_stored";
    /** An upload was refused; Keycloak's {@code reason} detail says why ({@code not_an_image}, {@code too_dark}, ...). */
    public static final String KYC_UPLOAD_REFUSED = "kyc_upload_refused";
    /** The country or region of residence is not served (its code in {@code reason}). */
    public static final String KYC_COUNTRY_REFUSED = "kyc_country_refused";
    /** Reviewer outcomes (emitted by the review part). */
    public static final String KYC_APPROVED = "kyc_approved";
    public static final String KYC_REJECTED = "kyc_rejected";
    /** Event detail: the case id. */
    public static final String KYC_CASE = "kyc_case";
    /** Event detail: front, back or selfie. */
    public static final String KYC_DOCUMENT_KIND = "kyc_document_kind";

    private TillitEvents() {
    }
}
