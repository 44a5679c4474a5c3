package dev.tillit.keycloak;

/**
 * The one vocabulary of Tillit's events. Every security-relevant step emits a Keycloak event
 * (a standard type where one fits, else {@code CUSTOM_REQUIRED_ACTION}) whose detail
 * {@link #DETAIL} names what happened, so a listener or a SIEM can route on one key.
 * Emitters and listeners use these constants; Keycloak's {@code Details}/{@code Errors} are used
 * wherever Keycloak has a name of its own.
 */
public final class TillitEvents {

    /**
     * The realm's one Tillit event listener (Realm settings → Events → Event listeners): it locks
     * withdrawals whatever path changed a password, a second factor or a contact. Here, at the
     * bottom, so that the settings page can tell whether it is on without importing {@code lock}.
     */
    public static final String LISTENER = "tillit-withdrawal-lock";

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
    /**
     * Event detail on {@link #CODE_SENT}: {@code true} when a resend within the code's lifetime
     * sent the step's live code again, unchanged (absent for a newly issued code).
     */
    public static final String CODE_REPEATED = "code_repeated";
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

    /**
     * The mobile app's password grant, for an account whose second factor is an SMS or email code,
     * answered "mfa_required" (a code was sent, or could not be sent) instead of tokens.
     */
    public static final String DIRECT_GRANT_SECOND_FACTOR_REQUIRED = "direct_grant_second_factor_required";
    /** The grant's second call carried an mfa_token that is unknown, used, expired, or another user's or client's. */
    public static final String DIRECT_GRANT_MFA_TOKEN_REFUSED = "direct_grant_mfa_token_refused";

    /**
     * The SMS second factor was removed because an admin removed, changed or unverified the
     * account's phone number (event {@code REMOVE_CREDENTIAL} with the factor's credential type).
     */
    public static final String SMS_FACTOR_FOLLOWED_PHONE = "sms_factor_followed_phone";
    /**
     * The email second factor was removed because an admin changed, removed or unverified the
     * account's address (event {@code REMOVE_CREDENTIAL} with the factor's credential type).
     */
    public static final String EMAIL_FACTOR_FOLLOWED_EMAIL = "email_factor_followed_email";
    /**
     * An admin set or changed the account's email address: it is stored unverified whatever the
     * request said (event {@code CUSTOM_REQUIRED_ACTION} with {@code previous_email},
     * {@code updated_email} and {@link #EMAIL_VERIFIED_CLAIMED}); no code goes there until the user proves it.
     */
    public static final String ADMIN_EMAIL_UNVERIFIED = "admin_email_unverified";
    /** Detail of {@link #ADMIN_EMAIL_UNVERIFIED}: whether the admin's request claimed the address verified. */
    public static final String EMAIL_VERIFIED_CLAIMED = "email_verified_claimed";

    /**
     * The bot check passed (event {@code CUSTOM_REQUIRED_ACTION}, detail {@link #BOT_CHECK_PROVIDER}, and
     * {@code score} for reCAPTCHA), or failed (the same with {@code Details.REASON}: one of the
     * {@code BOT_CHECK_*} reasons below).
     */
    public static final String BOT_CHECK_PASSED = "bot_check_passed";
    public static final String BOT_CHECK_FAILED = "bot_check_failed";
    /** Event detail: {@code pow}, {@code turnstile}, {@code hcaptcha} or {@code recaptcha}. */
    public static final String BOT_CHECK_PROVIDER = "bot_check_provider";
    /** Event detail: reCAPTCHA v3's score. */
    public static final String BOT_CHECK_SCORE = "score";

    /** Reasons a bot check failed (values of {@code Details.REASON} on a {@link #BOT_CHECK_FAILED} event). */
    public static final String BOT_CHECK_MISSING = "missing";
    public static final String BOT_CHECK_MALFORMED = "malformed";
    public static final String BOT_CHECK_BAD_SIGNATURE = "bad_signature";
    public static final String BOT_CHECK_OTHER_SESSION = "other_session";
    public static final String BOT_CHECK_EXPIRED = "expired";
    public static final String BOT_CHECK_NOT_SOLVED = "not_solved";
    public static final String BOT_CHECK_REPLAYED = "replayed";
    public static final String BOT_CHECK_REJECTED = "rejected";
    public static final String BOT_CHECK_LOW_SCORE = "low_score";
    public static final String BOT_CHECK_WRONG_ACTION = "wrong_action";
    public static final String BOT_CHECK_VERIFIER_TIMEOUT = "verifier_timeout";
    public static final String BOT_CHECK_VERIFIER_ERROR = "verifier_error";
    public static final String BOT_CHECK_NOT_CONFIGURED = "not_configured";

    /**
     * The password grant refused without checking any password: the client address (IPv6 /64) has used
     * its budget of failed password checks (setting {@code passwordGrantFailuresPerIpPerHour}); event
     * {@code LOGIN_ERROR} with this error and detail.
     */
    public static final String PASSWORD_ATTEMPTS_EXHAUSTED = "password_attempts_exhausted";

    public static final String REGISTERED = "registered";

    /**
     * A sign-in coming back from an identity provider was refused (event {@code IDENTITY_PROVIDER_LOGIN_ERROR});
     * {@code Details.REASON} says why: {@code hash_invalid}, {@code auth_date_stale}, {@code payload_replayed},
     * {@code payload_incomplete}, {@code id_token_invalid}.
     */
    public static final String BROKER_LOGIN_REJECTED = "broker_login_rejected";
    /** First sign-in with a provider: a new account was made (consents recorded), event {@code CUSTOM_REQUIRED_ACTION}. */
    public static final String BROKER_SIGNED_UP = "broker_signed_up";
    /** First sign-in with a provider: the person proved an existing account and linked the provider to it. */
    public static final String BROKER_LINK_CONFIRMED = "broker_link_confirmed";
    /** First sign-in with a provider: "sign up" refused because the provider's (trusted) email belongs to an account. */
    public static final String BROKER_EMAIL_TAKEN = "broker_email_taken";
    /**
     * The mobile app exchanged a provider's id_token for our tokens ({@code broker.app}): {@code LOGIN} on
     * success, {@code LOGIN_ERROR} otherwise with {@code Details.REASON}: {@code id_token_invalid},
     * {@code nonce_replayed}, {@code not_linked}, {@code account_not_ready}.
     */
    public static final String APP_SIGN_IN = "app_sign_in";
    /**
     * The app's native sign-in found an account with a second factor: no tokens, {@code LOGIN_ERROR} with error
     * {@code mfa_required} (an {@code mfa_token} was handed out; {@code Details.CREDENTIAL_TYPE} the factor asked)
     * or {@code interaction_required} ({@code Details.REASON} {@code factor_only_in_browser}: a passkey, a security
     * key or recovery codes, which only the browser can ask).
     */
    public static final String APP_SECOND_FACTOR_REQUIRED = "app_second_factor_required";
    /** The app's second call carried an mfa_token that is unknown, used, expired, or another client's or provider's. */
    public static final String APP_MFA_TOKEN_REFUSED = "app_mfa_token_refused";
    /** A deleted account's Sign in with Apple grant was revoked at Apple ({@code REMOVE_FEDERATED_IDENTITY}). */
    public static final String APPLE_GRANT_REVOKED = "apple_grant_revoked";
    /**
     * A deleted account's Apple grant could not be revoked (the deletion stands); {@code Details.REASON}
     * is Apple's answer, the error, {@code client_secret_unavailable} or {@code no_refresh_token}.
     */
    public static final String APPLE_REVOKE_FAILED = "apple_revoke_failed";
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

    /** Withdrawal-lock reason: the user followed the "this wasn't me" link of a new-device alert. */
    public static final String SUSPICIOUS_SIGN_IN = "suspicious_sign_in";

    /**
     * Withdrawal-lock reason: an identity provider was linked to the account (first-login link,
     * account console, admin API); the lock event names it in {@code Details.IDENTITY_PROVIDER}.
     */
    public static final String IDENTITY_LINKED = "identity_linked";
    /**
     * Every identity linked to the account was removed (event {@code REMOVE_FEDERATED_IDENTITY}) because the
     * password was reset or a sign-in disowned ({@code Details.REASON}); {@link #IDENTITY_PROVIDERS} names them.
     */
    public static final String LINKED_IDENTITIES_REMOVED = "linked_identities_removed";
    /** Event detail: identity provider aliases, comma-separated. */
    public static final String IDENTITY_PROVIDERS = "identity_providers";

    /** A sign-in (password and second factor passed) from a device the account had not used before; mail/SMS alert sent. */
    public static final String NEW_DEVICE_SIGN_IN = "new_device_sign_in";
    /** The user ticked "remember this device": later sign-ins from it skip the second factor (never the password). */
    public static final String DEVICE_TRUSTED = "device_trusted";
    /** All of a user's trusted devices were revoked (detail {@code Details.REASON}: the lock reason or the admin action). */
    public static final String DEVICE_TRUST_REVOKED = "device_trust_revoked";
    /** On the sign-in event: the second factor was skipped because the device is trusted. */
    public static final String SECOND_FACTOR_SKIPPED = "second_factor_skipped";
    /** The user disowned a sign-in through the alert's "this wasn't me" link: withdrawals locked, that session ended. */
    public static final String SIGN_IN_DISOWNED = "sign_in_disowned";
    /** Event detail: the device as the alert names it ("Chrome on Linux"). */
    public static final String DEVICE = "device";

    /**
     * The detail Keycloak's user-profile auditing ({@code EventAuditingAttributeChangeListener}) writes
     * for the previous value of {@code phone_number} ({@code Details.PREF_PREVIOUS + attribute}).
     */
    public static final String PREVIOUS_PHONE_NUMBER = "previous_" + TillitAttributes.PHONE_NUMBER;
    /** Likewise for the new value. */
    public static final String UPDATED_PHONE_NUMBER = "updated_" + TillitAttributes.PHONE_NUMBER;

    private TillitEvents() {
    }

    // ---- Identity verification (KYC); event CUSTOM_REQUIRED_ACTION, detail custom_required_action=tillit-kyc
    /** A picture of the ID or a selfie passed the checks and was stored (detail {@link #KYC_DOCUMENT}). */
    public static final String KYC_DOCUMENT_STORED = "kyc_document_stored";
    /** A picture was refused (error names the {@code ImageProblem}); nothing was stored. */
    public static final String KYC_DOCUMENT_REFUSED = "kyc_document_refused";
    /** The case went to review: {@code kyc_status} is {@code pending}. */
    public static final String KYC_SUBMITTED = "kyc_submitted";
    /** A resident of a country or region that is not served tried to verify. */
    public static final String KYC_COUNTRY_REFUSED = "kyc_country_refused";
    /** A phone opened the hand-over link of a draft (its first and only use). */
    public static final String KYC_PHONE_LINK_OPENED = "kyc_phone_link_opened";
    /** Event detail: which picture ({@code front}, {@code back}, {@code selfie}). */
    public static final String KYC_DOCUMENT = "kyc_document";
    /** Event detail: the case id. */
    public static final String KYC_CASE = "kyc_case";

    // ---- KYC review (issue 12): event CUSTOM_REQUIRED_ACTION of the user, details kyc_case, kyc_level, kyc_reasons
    /** A reviewer approved the user's case: {@code kyc_status} is {@code approved}, {@code kyc_level} the level granted. */
    public static final String KYC_APPROVED = "kyc_approved";
    /**
     * A case was deleted with its pictures and details ({@link #KYC_CASE}); {@code Details.REASON} is
     * {@link #KYC_PURGE_UNDECIDED} or {@link #KYC_PURGE_RETENTION_ENDED}. The account may no longer exist:
     * the event carries its id.
     */
    public static final String KYC_CASE_PURGED = "kyc_case_purged";
    /** The account was deleted before the case was decided: nothing obliges us to keep it. */
    public static final String KYC_PURGE_UNDECIDED = "account_deleted_before_decision";
    /** The retention period after the account closed has ended. */
    public static final String KYC_PURGE_RETENTION_ENDED = "retention_ended";
    /** The account of a decided case was deleted: the case is kept for the retention period ({@link #KYC_CASE}). */
    public static final String KYC_CASE_RETAINED = "kyc_case_retained";
    /** A reviewer rejected the case (detail {@link #KYC_REASONS}). */
    public static final String KYC_REJECTED = "kyc_rejected";
    /** A reviewer asked for new pictures (details {@link #KYC_REASONS}, {@link #KYC_DOCUMENTS}); the required action is back. */
    public static final String KYC_RESUBMISSION_REQUESTED = "kyc_resubmission_requested";
    /** Event detail: the level granted. */
    public static final String KYC_LEVEL = "kyc_level";
    /** Event detail: reason codes, comma-separated. */
    public static final String KYC_REASONS = "kyc_reasons";
    /** Event detail: the documents to redo, comma-separated. */
    public static final String KYC_DOCUMENTS = "kyc_documents";

    // ---- KYC by a vendor (issue 12): a KycVerifier other than manual decides; the decision events above follow
    /** The case reached the vendor (details {@link #KYC_CASE}, {@link #KYC_VERIFIER}, {@link #KYC_VENDOR_APPLICANT}). */
    public static final String KYC_VENDOR_SUBMITTED = "kyc_vendor_submitted";
    /**
     * Handing the case to the vendor failed this time (error {@code vendor_unavailable}, detail {@code reason}); the case
     * stays pending and is sent again later.
     */
    public static final String KYC_VENDOR_FAILED = "kyc_vendor_failed";
    /** A vendor callback without a valid signature was refused (error {@code invalid_signature}); nothing changed. */
    public static final String KYC_VENDOR_CALLBACK_REFUSED = "kyc_vendor_callback_refused";
    /** Event detail: the KycVerifier that decided or was asked ({@code sumsub}); absent on a reviewer's decision. */
    public static final String KYC_VERIFIER = "kyc_verifier";
    /** Event detail: the vendor's id of the case (Sumsub's applicant id). */
    public static final String KYC_VENDOR_APPLICANT = "kyc_vendor_applicant";

    // ---- Error codes and reasons of our own (Keycloak's Errors / Details values wherever it has one)
    /** Error: the KYC vendor could not be reached or refused the hand-off. */
    public static final String ERROR_VENDOR_UNAVAILABLE = "vendor_unavailable";
    /** Error: the user's country of residence is not one the realm serves for KYC. */
    public static final String ERROR_COUNTRY_NOT_SERVED = "country_not_served";
    /** {@code Details.REASON}: the account's code factor has no verified contact to send to. */
    public static final String REASON_NO_VERIFIED_CONTACT = "no_verified_contact";
    /** {@code Details.REASON}: the app's identity is linked to no account. */
    public static final String REASON_NOT_LINKED = "not_linked";
}
