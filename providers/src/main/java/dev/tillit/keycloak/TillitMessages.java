package dev.tillit.keycloak;

/**
 * The theme message keys Java code uses (login and email bundles, en and sv): one place, checked
 * against both bundles by {@code ThemeMessagesTest}. Templates use further keys of their own.
 */
public final class TillitMessages {

    public static final String BOT_CHECK_EXPIRED = "tillitBotCheckExpired";
    public static final String BOT_CHECK_FAILED = "tillitBotCheckFailed";
    public static final String BOT_CHECK_UNAVAILABLE = "tillitBotCheckUnavailable";
    /** The sign-in form again after the separate bot-check page: type the password once more. */
    public static final String BOT_CHECK_PASSED_SIGN_IN = "tillitBotCheckPassedSignIn";
    public static final String CODE_DELIVERY_FAILED = "tillitCodeDeliveryFailed";
    public static final String CODE_EXPIRED = "tillitCodeExpired";
    public static final String CODE_GUESSING_PAUSED = "tillitCodeGuessingPaused";
    public static final String CODE_INVALID = "tillitCodeInvalid";
    public static final String CODE_RESEND_WAIT = "tillitCodeResendWait";
    public static final String CODE_RESENT = "tillitCodeResent";
    public static final String CODE_SEND_LIMIT = "tillitCodeSendLimit";
    public static final String CODE_SENT = "tillitCodeSent";
    public static final String CODE_SENT_AGAIN = "tillitCodeSentAgain";
    public static final String CODE_TOO_MANY_ATTEMPTS = "tillitCodeTooManyAttempts";
    public static final String DISOWN_LINK_USED = "tillitDisownLinkUsed";
    public static final String DISOWN_LINK_INVALID = "tillitDisownLinkInvalid";
    public static final String LOCK_REASON_SUSPICIOUS_SIGN_IN = "tillitLockReasonSuspiciousSignIn";
    public static final String LOCK_REASON_IDENTITY_LINKED = "tillitLockReasonIdentityLinked";
    public static final String SMS_LOCK_IDENTITY_LINKED = "tillitSmsLockIdentityLinked";
    public static final String NEW_DEVICE_SUBJECT = "tillitNewDeviceSubject";
    public static final String SMS_LOCK_SUSPICIOUS_SIGN_IN = "tillitSmsLockSuspiciousSignIn";
    public static final String SMS_NEW_DEVICE = "tillitSmsNewDevice";
    public static final String EMAIL_CODE_SUBJECT = "tillitEmailCodeSubject";
    public static final String IDENTIFIER_INVALID = "tillitIdentifierInvalid";
    public static final String IDENTIFIER_REQUIRED = "tillitIdentifierRequired";
    public static final String LOCK_NOTICE_SUBJECT = "tillitLockNoticeSubject";
    public static final String LOCK_REASON_EMAIL = "tillitLockReasonEmail";
    public static final String LOCK_REASON_PASSWORD_CHANGED = "tillitLockReasonPasswordChanged";
    public static final String LOCK_REASON_PASSWORD_RESET = "tillitLockReasonPasswordReset";
    public static final String LOCK_REASON_PHONE = "tillitLockReasonPhone";
    public static final String LOCK_REASON_SECOND_FACTOR = "tillitLockReasonSecondFactor";
    public static final String PASSWORD_CONTAINS_PHONE = "tillitPasswordContainsPhone";
    public static final String PASSWORD_INVALID_CHARACTER = "tillitPasswordInvalidCharacter";
    public static final String PHONE_INVALID = "tillitPhoneInvalid";
    public static final String PHONE_NOT_MOBILE = "tillitPhoneNotMobile";
    public static final String PHONE_REQUIRED = "tillitPhoneRequired";
    public static final String PHONE_TAKEN = "tillitPhoneTaken";
    public static final String PRIVACY_REQUIRED = "tillitPrivacyRequired";
    public static final String RESET_CODE_SENT = "tillitResetCodeSent";
    public static final String RULE_ALLOWED_CHARACTERS = "tillitRuleAllowedCharacters";
    public static final String RULE_DIGITS = "tillitRuleDigits";
    public static final String RULE_LENGTH_BETWEEN = "tillitRuleLengthBetween";
    public static final String RULE_LENGTH_MAX = "tillitRuleLengthMax";
    public static final String RULE_LENGTH_MIN = "tillitRuleLengthMin";
    public static final String RULE_LOWER_CASE = "tillitRuleLowerCase";
    public static final String RULE_SPECIAL = "tillitRuleSpecial";
    public static final String RULE_UPPER_CASE = "tillitRuleUpperCase";
    public static final String SIGNUP_NOTICE_SUBJECT = "tillitSignupNoticeSubject";
    public static final String SMS_CODE = "tillitSmsCode";
    public static final String SMS_COUNTRY_NOT_ALLOWED = "tillitSmsCountryNotAllowed";
    public static final String SMS_LOCK_EMAIL = "tillitSmsLockEmail";
    public static final String SMS_LOCK_PASSWORD_CHANGED = "tillitSmsLockPasswordChanged";
    public static final String SMS_LOCK_PASSWORD_RESET = "tillitSmsLockPasswordReset";
    public static final String SMS_LOCK_PHONE = "tillitSmsLockPhone";
    public static final String SMS_LOCK_SECOND_FACTOR = "tillitSmsLockSecondFactor";
    public static final String SMS_SIGNUP_NOTICE = "tillitSmsSignupNotice";
    public static final String TERMS_REQUIRED = "tillitTermsRequired";
    public static final String TELEGRAM_UNAVAILABLE = "tillitTelegramUnavailable";
    public static final String TELEGRAM_REJECTED = "tillitTelegramRejected";
    public static final String TELEGRAM_EXPIRED = "tillitTelegramExpired";
    public static final String TELEGRAM_REPLAYED = "tillitTelegramReplayed";
    public static final String BROKER_LINK_SIGN_IN = "tillitBrokerLinkSignIn";
    public static final String BROKER_ALREADY_LINKED = "tillitBrokerAlreadyLinked";
    public static final String BROKER_EMAIL_TAKEN = "tillitBrokerEmailTaken";
    public static final String BROKER_LINKED_SUBJECT = "tillitBrokerLinkedSubject";
    public static final String APPLE_UNAVAILABLE = "tillitAppleUnavailable";
    public static final String APPLE_REJECTED = "tillitAppleRejected";

    private TillitMessages() {
    }

    // ---- Identity verification (KYC)
    public static final String KYC_COUNTRY_REQUIRED = "tillitKycCountryRequired";
    public static final String KYC_COUNTRY_NOT_SERVED = "tillitKycCountryNotServed";
    public static final String KYC_REGION_REQUIRED = "tillitKycRegionRequired";
    public static final String KYC_DOCUMENT_REQUIRED = "tillitKycDocumentRequired";
    public static final String KYC_DOCUMENT_NOT_ACCEPTED = "tillitKycDocumentNotAccepted";
    public static final String KYC_DOCUMENT_COUNTRY_MISMATCH = "tillitKycDocumentCountryMismatch";
    public static final String KYC_NAME_REQUIRED = "tillitKycNameRequired";
    public static final String KYC_BIRTH_DATE_INVALID = "tillitKycBirthDateInvalid";
    public static final String KYC_TOO_YOUNG = "tillitKycTooYoung";
    public static final String KYC_ADDRESS_REQUIRED = "tillitKycAddressRequired";
    public static final String KYC_FIELD_TOO_LONG = "tillitKycFieldTooLong";
    public static final String KYC_PICTURE_REQUIRED = "tillitKycPictureRequired";
    public static final String KYC_SUBMISSION_LIMIT = "tillitKycSubmissionLimit";
    public static final String KYC_UNAVAILABLE = "tillitKycUnavailable";
    public static final String KYC_UPLOAD_EXPIRED = "tillitKycUploadExpired";
    /** Every picture check of this node is busy (503 with Retry-After). */
    public static final String KYC_BUSY = "tillitKycBusy";
    /** The guided selfie sent more frames than one step allows. */
    public static final String KYC_TOO_MANY_FRAMES = "tillitKycTooManyFrames";

    // ---- KYC review decisions (email bundle)
    public static final String KYC_MAIL_APPROVED_SUBJECT = "tillitKycMailApprovedSubject";
    public static final String KYC_MAIL_REJECTED_SUBJECT = "tillitKycMailRejectedSubject";
    public static final String KYC_MAIL_RESUBMISSION_SUBJECT = "tillitKycMailResubmissionSubject";
}
