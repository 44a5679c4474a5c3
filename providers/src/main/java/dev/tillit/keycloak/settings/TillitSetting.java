package dev.tillit.keycloak.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * Every realm-wide Tillit setting, declared once: its config key (as stored in the realm's Tillit
 * component and in realm exports), the group it is shown in, label, help, default and allowed
 * values. The admin console's "Tillit" tab ({@link TillitSettingsTabFactory}), the check on save
 * and the reader ({@link TillitSettings}) are all built from this list; keys never change, so
 * existing realms and realm files keep working.
 */
public enum TillitSetting {

    // ---- Codes and limits
    CODE_LIFETIME("codeLifetimeSeconds", Group.CODES, "Code lifetime (seconds)",
            "How long a one-time code (SMS or email) stays valid.", 300, 1, 3600),
    CODE_MAX_ATTEMPTS("codeMaxAttempts", Group.CODES, "Wrong attempts per code",
            "After this many wrong entries the code is dead and a new one must be requested.", 5, 1, 20),
    RESEND_COOLDOWN("resendCooldownSeconds", Group.CODES, "Resend cooldown (seconds)",
            "Minimum wait before another code may be sent for the same step.", 60, 0, 3600),
    SENDS_PER_IDENTIFIER("sendsPerIdentifierPerHour", Group.CODES, "Codes per phone number or email per hour",
            "Cluster-wide limit of codes sent to one recipient for one step (sign-up, reset, ...) in any hour.", 5, 1, 100),
    SENDS_PER_IP("sendsPerIpPerHour", Group.CODES, "Codes per client IP per hour",
            "Cluster-wide limit of codes requested from one IPv4 address or IPv6 /64 network in any hour.", 20, 1, 1000),
    WRONG_CODES_PER_DAY("wrongCodesPerDay", Group.CODES, "Wrong codes per account per day",
            "Wrong codes accepted against one account or recipient, per step, in any 24 hours."
                    + " Past it, new codes come only after a pause.", 20, 5, 200),
    GUESSING_PAUSE("guessingPauseMinutes", Group.CODES, "First pause after too many wrong codes (minutes)",
            "Each further pause within 24 hours doubles, up to the longest pause.", 15, 1, 240),
    GUESSING_PAUSE_MAX("guessingPauseMaxMinutes", Group.CODES, "Longest pause (minutes)",
            "The longest a stranger guessing codes can keep the owner from getting a new one"
                    + " (never shorter than the first pause).", 240, 1, 1440),
    SMS_PER_REALM("smsPerRealmPerHour", Group.CODES, "SMS per realm per hour",
            "All SMS of this realm (codes and notices) in any hour: the ceiling on an SMS-pumping bill.", 2000, 1, 1_000_000),
    SMS_PER_COUNTRY("smsPerCountryPerHour", Group.CODES, "SMS per country per hour",
            "SMS to any one country in any hour.", 500, 1, 1_000_000),
    CODE_RESPONSE_FLOOR("resetResponseFloorMillis", Group.CODES, "Minimum answer time of code steps (ms)",
            "Sending a code (first screen, resend) answers no sooner than this, account or not,"
                    + " so timing reveals nothing.", 1500, 0, 10_000),
    // ---- SMS gateway
    SMS_GATEWAY("smsGateway", Group.SMS, "Gateway", Kind.GATEWAY,
            "Which installed SMS gateway delivers codes and notices. console is for development only:"
                    + " it prints to the server log and refuses to send outside start-dev.", "console"),
    SMS_URL("smsUrl", Group.SMS, "Gateway URL", Kind.GATEWAY_URL,
            "http: the endpoint that receives {to, from, text} as JSON. twilio: the API base URL"
                    + " (empty: https://api.twilio.com). Outside development mode only https:// URLs are accepted.", null),
    SMS_SECRET("smsSecret", Group.SMS, "Gateway secret", Kind.SECRET,
            "Bearer token, HMAC key or Twilio auth token, as a vault reference such as ${vault.sms-token}."
                    + " Outside development mode a plain value is refused.", null),
    SMS_SENDER("smsSender", Group.SMS, "Sender", Kind.TEXT,
            "Sender name or number shown to the recipient (Twilio: the From number).", null),
    SMS_TIMEOUT("smsTimeoutSeconds", Group.SMS, "Gateway timeout (seconds)",
            "How long to wait for the gateway before the user is asked to try again.", 10, 1, 60),

    // ---- Phone numbers
    PHONE_DEFAULT_REGION("phoneDefaultRegion", Group.PHONE, "Default region", Kind.REGION,
            "Country (ISO 3166 code) assumed for numbers typed without a country code, e.g. 070-123 45 67.", "SE"),
    SMS_ALLOWED_COUNTRIES("smsAllowedCountries", Group.PHONE, "Countries SMS may go to", Kind.COUNTRY_LIST,
            "Comma-separated ISO 3166 codes, e.g. SE,NO,DK,FI: protection against SMS-pumping fraud.", "SE,NO,DK,FI"),

    // ---- Withdrawal lock
    LOCK_AFTER_PASSWORD("lockAfterPasswordChangeHours", Group.LOCK, "After a password reset or change (hours)",
            "withdrawal_locked_until is set this far ahead when the password is reset or changed by any path."
                    + " 0 turns this lock off.", 24, 0, 24 * 30),
    LOCK_AFTER_SECOND_FACTOR("lockAfterSecondFactorRemovalHours", Group.LOCK, "After a second factor is removed (hours)",
            "0 turns this lock off.", 24, 0, 24 * 30),
    LOCK_AFTER_IDENTIFIER("lockAfterIdentifierChangeHours", Group.LOCK, "After the email or phone number changes (hours)",
            "0 turns this lock off.", 24, 0, 24 * 30),
    LOCK_AFTER_DISOWNED_SIGN_IN("lockAfterDisownedSignInHours", Group.LOCK, "After \"this wasn't me\" on a new-device alert (hours)",
            "The user disowned a sign-in: whoever signed in had the password and the second factor.", 72, 1, 24 * 30),
    LOCK_AFTER_IDENTITY_LINKED("lockAfterIdentityLinkedHours", Group.LOCK, "After an identity provider is linked (hours)",
            "A linked identity (Google, Apple, Telegram, ...) is a way into the account: linking one by any path"
                    + " (first sign-in, account console, admin API) locks withdrawals this long and tells the owner by mail"
                    + " and SMS with a \"this was not me\" link. 0 turns this lock off (the notice still goes out).", 24, 0, 24 * 30),

    // ---- Devices
    TRUSTED_DEVICE_DAYS("trustedDeviceDays", Group.DEVICES, "Remember a device for (days)",
            "After the second factor, offer \"remember this device\": a trusted device skips the second factor"
                    + " (never the password) for this many days. 0 turns the offer off.", 0, 0, 90),
    KNOWN_DEVICES("knownDevicesPerUser", Group.DEVICES, "Devices remembered for new-device alerts",
            "A sign-in from a device not among the account's last this many sends a mail and an SMS with a"
                    + " \"this wasn't me\" link. 0 turns new-device alerts off.", 20, 0, 100),

    // ---- Legal documents
    TERMS_URL("termsUrl", Group.LEGAL, "User agreement URL", Kind.URL,
            "Linked from the sign-up page.", "https://tillit.example/legal/user-agreement"),
    TERMS_VERSION("termsVersion", Group.LEGAL, "User agreement version", Kind.TEXT,
            "Recorded with each acceptance (terms_accepted = version@time).", "1"),
    PRIVACY_URL("privacyUrl", Group.LEGAL, "Privacy policy URL", Kind.URL,
            "Linked from the sign-up page.", "https://tillit.example/legal/privacy"),
    PRIVACY_VERSION("privacyVersion", Group.LEGAL, "Privacy policy version", Kind.TEXT,
            "Recorded with each acceptance (privacy_accepted = version@time).", "1"),

    // ---- Bot check
    BOT_CHECK_PROVIDER("botCheckProvider", Group.BOT_CHECK, "Provider", Kind.BOT_CHECK_PROVIDER,
            "Who tells people from bots on the sign-in, sign-up and reset pages (step tillit-bot-check in the flows)."
                    + " pow: Tillit's own proof-of-work, solved by the browser in a few seconds; no third party, works"
                    + " offline. turnstile (Cloudflare), hcaptcha, recaptcha (Google reCAPTCHA v3): their widget on the page,"
                    + " each answer checked at the provider's siteverify endpoint with the site key and secret below.", "pow"),
    BOT_CHECK_DIFFICULTY("botCheckDifficultyBits", Group.BOT_CHECK, "Proof-of-work difficulty (bits)",
            "pow: the browser must find a hash with this many leading zero bits; each bit doubles the work"
                    + " (18: about 260,000 hashes, a second or two on a phone).", 18, 8, 26),
    BOT_CHECK_LIFETIME("botCheckChallengeSeconds", Group.BOT_CHECK, "Proof-of-work challenge lifetime (seconds)",
            "pow: a challenge must be solved and sent back within this time; each is accepted once.", 300, 1, 3600),
    BOT_CHECK_SITE_KEY("botCheckSiteKey", Group.BOT_CHECK, "Site key", Kind.TEXT,
            "turnstile, hcaptcha, recaptcha: the public site key of the widget.", null),
    BOT_CHECK_SECRET("botCheckSecret", Group.BOT_CHECK, "Secret", Kind.SECRET,
            "turnstile, hcaptcha, recaptcha: the secret for siteverify, as a vault reference such as ${vault.bot-check-secret}."
                    + " Outside development mode a plain value is refused.", null),
    BOT_CHECK_MIN_SCORE("botCheckMinScorePercent", Group.BOT_CHECK, "reCAPTCHA minimum score (percent)",
            "recaptcha (v3): answers scoring below this (0.5 = 50) are refused.", 50, 0, 100),
    BOT_CHECK_TIMEOUT("botCheckTimeoutSeconds", Group.BOT_CHECK, "Verifier timeout (seconds)",
            "turnstile, hcaptcha, recaptcha: how long to wait for siteverify; no answer in time refuses (fails closed).", 5, 1, 30),
    BOT_CHECK_VERIFY_URL("botCheckVerifyUrl", Group.BOT_CHECK, "siteverify URL override", Kind.GATEWAY_URL,
            "Leave empty in production: each provider's own siteverify endpoint is used. For tests and staging only:"
                    + " another endpoint speaking the same protocol. Outside development mode only https:// URLs are accepted.", null),

    // ---- Help on code pages (declared last: keys of existing realms keep their order)
    SUPPORT_EMAIL("supportEmail", Group.CODES, "Support email address", Kind.EMAIL,
            "Shown under \"Didn’t get the code?\" on every code page as the last thing to try. Empty: no support"
                    + " line is shown.", null),

    // ---- Identity verification (KYC)
    KYC_KEY("kycKey", Group.KYC, "Encryption key", Kind.SECRET,
            "Vault reference to the AES-256 key (32 random bytes, base64: openssl rand -base64 32) that encrypts ID pictures"
                    + " and personal details. To rotate, add a new vault entry and point this at it: stored data keeps the"
                    + " name of the entry it was encrypted under, so keep old entries until their data is gone.", "${vault.kyc-key}"),
    KYC_RESTRICTED("kycRestrictedCountries", Group.KYC, "Countries and regions not served", Kind.REGION_LIST,
            "ISO 3166 country codes, or ISO 3166-2 region codes where only a region is not served (CA-ON Ontario,"
                    + " UA-43 Crimea), separated by commas. Their residents cannot verify.",
            "CA-ON,UA-43,CU,HK,IR,KP,SG,SD,SY,US"),
    KYC_DOCUMENT_TYPES("kycDocumentTypes", Group.KYC, "ID types per issuing country", Kind.DOCUMENT_TYPES,
            "country=types; ... where * stands for every other country and types are passport, id_card, driving_licence,"
                    + " residence_permit. Example: *=passport,id_card;US=passport,driving_licence",
            "*=passport,id_card,driving_licence,residence_permit"),
    KYC_TWO_SIDED("kycTwoSidedDocuments", Group.KYC, "ID types with a back side", Kind.DOCUMENT_TYPES,
            "The types whose back must be photographed too, separated by commas.", "id_card,driving_licence,residence_permit"),
    KYC_MAX_UPLOAD_MB("kycMaxUploadMegabytes", Group.KYC, "Largest picture (MB)",
            "Larger uploads are cut off while they stream in. The server itself accepts at most 10 MB per request.", 10, 1, 10),
    KYC_MAX_MEGAPIXELS("kycMaxMegapixels", Group.KYC, "Most pixels in a picture (megapixels)",
            "Checked from the file's header before anything is decoded: a guard against decompression bombs.", 50, 1, 200),
    KYC_MIN_SIDE("kycMinPictureSide", Group.KYC, "Smallest picture side (pixels)",
            "Pictures whose shorter side is smaller are refused as too small to read.", 480, 100, 4000),
    KYC_SHARPNESS("kycMinSharpness", Group.KYC, "Least sharpness",
            "Variance of the Laplacian of the picture scaled to 800 pixels; blurrier pictures are refused. 0 turns the check off.",
            100, 0, 5000),
    KYC_SUBMISSIONS_PER_DAY("kycSubmissionsPerDay", Group.KYC, "Submissions per user per 24 hours",
            "Further submissions are refused until the oldest of them is a day old.", 5, 1, 50),
    KYC_DRAFT_DAYS("kycDraftDays", Group.KYC, "Unfinished verifications kept (days)",
            "A verification not submitted within this time is deleted with its pictures.", 30, 1, 365),
    KYC_RETENTION_DAYS("kycRetentionDays", Group.KYC, "Decided verifications kept after the account closes (days)",
            "Anti-money-laundering rules keep a decided verification, pictures included, for years after the customer"
                    + " leaves (5 years in the EU: 1826 days); then it is deleted. A verification not yet decided is"
                    + " deleted with the account.", 1826, 1, 36_500),
    KYC_MIN_AGE("kycMinimumAge", Group.KYC, "Minimum age (years)",
            "The date of birth must show at least this age.", 18, 16, 25),
    KYC_REVIEW_DAYS("kycReviewDays", Group.KYC, "Expected review time (days)",
            "Told to the user after submitting.", 2, 1, 30),
    KYC_LEVEL1_LIMIT("kycLevel1DailyLimitEur", Group.KYC, "Verified individual: daily limit (EUR)",
            "Shown on the verification overview as what verifying unlocks.", 50_000, 0, 100_000_000),
    // ---- KYC review decisions (issue 12)
    KYC_WEBHOOK_URL("kycWebhookUrl", Group.KYC, "Decision webhook URL", Kind.GATEWAY_URL,
            "Receives each reviewer decision as JSON {event, userId, caseId, status, level, reasons, timestamp}, signed in"
                    + " the X-Tillit-Signature header (sha256=<hex HMAC-SHA256 of the body>), retried with backoff until it"
                    + " answers 2xx. Empty: no webhook. Outside development mode only https:// URLs are accepted.", null),
    KYC_WEBHOOK_SECRET("kycWebhookSecret", Group.KYC, "Decision webhook secret", Kind.SECRET,
            "The HMAC key of the webhook's signature, as a vault reference such as ${vault.kyc-webhook-secret}."
                    + " Without it no webhook is sent.", null),
    // ---- KYC by a vendor (issue 12): which KycVerifier decides, and the Sumsub adapter's account
    KYC_VERIFIER("kycVerifier", Group.KYC, "Decided by", Kind.KYC_VERIFIER,
            "manual: people decide through the review API. sumsub: each submitted case is sent to Sumsub, whose"
                    + " verdict (webhook to /realms/<realm>/tillit-kyc-vendor/sumsub) decides it; reviewers can still decide"
                    + " a case first.", "manual"),
    KYC_SUMSUB_URL("kycSumsubUrl", Group.KYC, "Sumsub API URL", Kind.GATEWAY_URL,
            "sumsub: the API base URL. Outside development mode only https:// URLs are accepted.", "https://api.sumsub.com"),
    KYC_SUMSUB_APP_TOKEN("kycSumsubAppToken", Group.KYC, "Sumsub app token", Kind.SECRET,
            "sumsub: the app token (Dev space > App tokens), as a vault reference such as ${vault.sumsub-app-token}.", null),
    KYC_SUMSUB_SECRET_KEY("kycSumsubSecretKey", Group.KYC, "Sumsub secret key", Kind.SECRET,
            "sumsub: the app token's secret key, which signs every request, as a vault reference such as"
                    + " ${vault.sumsub-secret-key}.", null),
    KYC_SUMSUB_WEBHOOK_SECRET("kycSumsubWebhookSecret", Group.KYC, "Sumsub webhook secret key", Kind.SECRET,
            "sumsub: the secret key of the webhook (Dev space > Webhooks), with which Sumsub signs X-Payload-Digest,"
                    + " as a vault reference such as ${vault.sumsub-webhook-secret}. Without it every webhook is refused.", null),
    KYC_SUMSUB_LEVEL("kycSumsubLevelName", Group.KYC, "Sumsub level name", Kind.TEXT,
            "sumsub: the verification level applicants are created at (it must ask for an ID and a selfie).", "basic-kyc-level"),
    KYC_REVIEW_CLIENTS("kycReviewClients", Group.KYC, "Further clients of the review API", Kind.TEXT,
            "Client ids (comma-separated) whose tokens the review API accepts besides the reviewers' page"
                    + " (tillit-kyc-review), e.g. a back-office tool. Every token must also show a second factor (acr 2)."
                    + " Empty: the reviewers' page only.", null),
    KYC_VENDOR_LEVEL("kycVendorApprovedLevel", Group.KYC, "Level granted by the vendor",
            "kyc_level given when the vendor approves a case.", 1, 1, 2),
    KYC_VENDOR_RETRY("kycVendorRetrySeconds", Group.KYC, "First retry when the vendor is unreachable (seconds)",
            "A case the vendor could not take stays pending and is sent again after this long, then after twice as long"
                    + " each time, up to 6 hours apart, until the vendor takes it.", 60, 1, 3600),
    // ---- The password grant's bot check (issue 18): a budget of failed password checks per client address
    PASSWORD_GRANT_FAILURES_PER_IP("passwordGrantFailuresPerIpPerHour", Group.BOT_CHECK,
            "Password grant: failed password checks per client address per hour",
            "The password grant has no page for a bot check. Instead each client address (IPv6: per /64 network) may"
                    + " fail this many password checks, across all accounts (unknown identifiers included), in any hour;"
                    + " beyond that the grant answers HTTP 429 \"too many attempts\" without checking any password,"
                    + " the right one included (event password_attempts_exhausted). Successful sign-ins cost nothing.",
            20, 1, 10_000);

    /** The sections of the Tillit tab, in the order shown. */
    public enum Group {
        CODES("Codes and limits"),
        SMS("SMS gateway"),
        PHONE("Phone numbers"),
        LOCK("Withdrawal lock"),
        DEVICES("Devices"),
        LEGAL("Legal documents"),
        BOT_CHECK("Bot check"),
        KYC("Identity verification");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** What a value must look like. */
    public enum Kind {
        INTEGER, TEXT, URL, GATEWAY, GATEWAY_URL, SECRET, REGION, COUNTRY_LIST, BOT_CHECK_PROVIDER, EMAIL,
        /** ISO 3166 country or 3166-2 region codes: SE, CA-ON. */
        REGION_LIST,
        /** KYC document types, optionally per country: {@code *=passport,id_card;US=passport}. */
        DOCUMENT_TYPES,
        /** Who decides KYC cases: one of {@link #KYC_VERIFIERS}. */
        KYC_VERIFIER
    }

    /** What a check on save needs to know besides the value. */
    public record Context(boolean developmentMode, Set<String> installedGateways) {
    }

    /** The bot-check providers (ids of {@code captcha.BotCheckProvider}), the default first. */
    public static final List<String> BOT_CHECK_PROVIDERS = List.of("pow", "turnstile", "hcaptcha", "recaptcha");

    /** The KycVerifier providers Tillit ships ({@code kyc.vendor}), the default first. */
    public static final List<String> KYC_VERIFIERS = List.of("manual", "sumsub");

    private static final Pattern REGION = Pattern.compile("[A-Za-z]{2}");
    private static final Pattern COUNTRIES = Pattern.compile("\\s*[A-Za-z]{2}(\\s*[,\\s]\\s*[A-Za-z]{2})*\\s*");
    /** One address, no display name or list: it is put in a mailto: link as it stands. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+\\.[^@\\s<>\"(),;:]+");
    private static final Pattern REGIONS = Pattern.compile("\\s*[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?(\\s*,\\s*[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?)*\\s*");
    private static final Pattern DOCUMENT_TYPE_RULES = Pattern.compile(
            "\\s*(([A-Za-z]{2}|\\*)\\s*=\\s*)?[a-z_]+(\\s*,\\s*[a-z_]+)*\\s*(;\\s*(([A-Za-z]{2}|\\*)\\s*=\\s*)?[a-z_]+(\\s*,\\s*[a-z_]+)*\\s*)*;?\\s*");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}\\s]+}");

    private final String key;
    private final Group group;
    private final String label;
    private final String help;
    private final Kind kind;
    private final String defaultValue;
    private final int min;
    private final int max;

    /** A whole number between {@code min} and {@code max}. */
    TillitSetting(String key, Group group, String label, String help, int defaultValue, int min, int max) {
        this(key, group, label, Kind.INTEGER, help, String.valueOf(defaultValue), min, max);
    }

    TillitSetting(String key, Group group, String label, Kind kind, String help, String defaultValue) {
        this(key, group, label, kind, help, defaultValue, 0, 0);
    }

    TillitSetting(String key, Group group, String label, Kind kind, String help, String defaultValue, int min, int max) {
        this.key = key;
        this.group = group;
        this.label = label;
        this.help = help;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
    }

    /** The config key, e.g. {@code codeLifetimeSeconds}. */
    public String key() {
        return key;
    }

    public Group group() {
        return group;
    }

    /** The label without its group, e.g. "Code lifetime (seconds)". */
    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** The default as stored (a string), or null when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    /** Help as the admin console shows it: the explanation, the allowed range and the default. */
    public String helpText() {
        StringBuilder text = new StringBuilder(help);
        if (kind == Kind.INTEGER) {
            text.append(" Allowed: ").append(min).append(" to ").append(max).append('.');
        }
        if (defaultValue != null) {
            text.append(" Default: ").append(defaultValue).append('.');
        }
        return text.toString();
    }

    /** The admin console field (gateway choices are filled in by the tab's factory). */
    public ProviderConfigProperty property() {
        ProviderConfigProperty property = new ProviderConfigProperty();
        property.setName(key);
        property.setLabel(fieldLabel(group, label));
        property.setHelpText(helpText());
        property.setType(switch (kind) {
            case INTEGER -> ProviderConfigProperty.INTEGER_TYPE;
            case GATEWAY, BOT_CHECK_PROVIDER, KYC_VERIFIER -> ProviderConfigProperty.LIST_TYPE;
            default -> ProviderConfigProperty.STRING_TYPE;
        });
        property.setDefaultValue(kind == Kind.INTEGER ? Integer.valueOf(defaultValue) : defaultValue);
        property.setSecret(kind == Kind.SECRET);
        if (kind == Kind.BOT_CHECK_PROVIDER) {
            property.setOptions(List.copyOf(BOT_CHECK_PROVIDERS));
        }
        if (kind == Kind.KYC_VERIFIER) {
            property.setOptions(List.copyOf(KYC_VERIFIERS));
        }
        return property;
    }

    /** The one form has no section headers, so every label starts with its group. */
    static String fieldLabel(Group group, String label) {
        return group.title() + " \u00b7 " + label;
    }

    /**
     * Checks a value about to be saved; blank means "use the default" and is always allowed.
     *
     * @return null when the value is acceptable, else a message naming the setting and what it allows
     */
    public String problem(String raw, Context context) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        String name = "\"" + fieldLabel(group, label) + "\" (" + key + ")";
        switch (kind) {
            case INTEGER -> {
                Integer number = parse(value);
                if (number == null || number < min || number > max) {
                    return name + " must be a whole number from " + min + " to " + max + "; \"" + value + "\" is not.";
                }
            }
            case REGION -> {
                if (!REGION.matcher(value).matches()) {
                    return name + " must be a two-letter ISO 3166 country code such as SE; \"" + value + "\" is not.";
                }
            }
            case COUNTRY_LIST -> {
                if (!COUNTRIES.matcher(value).matches()) {
                    return name + " must be two-letter ISO 3166 country codes separated by commas, e.g. SE,NO; \""
                            + value + "\" is not.";
                }
            }
            case GATEWAY -> {
                if (!context.installedGateways().contains(value)) {
                    return name + " must be one of the installed gateways " + context.installedGateways().stream().sorted().toList()
                            + "; \"" + value + "\" is not installed.";
                }
            }
            case BOT_CHECK_PROVIDER -> {
                if (!BOT_CHECK_PROVIDERS.contains(value)) {
                    return name + " must be one of " + BOT_CHECK_PROVIDERS + "; \"" + value + "\" is not.";
                }
            }
            case KYC_VERIFIER -> {
                if (!KYC_VERIFIERS.contains(value)) {
                    return name + " must be one of " + KYC_VERIFIERS + "; \"" + value + "\" is not.";
                }
            }
            case URL -> {
                if (!isHttpUrl(value, false)) {
                    return name + " must be an absolute http:// or https:// URL; \"" + value + "\" is not.";
                }
            }
            case GATEWAY_URL -> {
                if (!isHttpUrl(value, false)) {
                    return name + " must be an absolute https:// URL (http:// only in development mode); \""
                            + value + "\" is not.";
                }
                if (!context.developmentMode() && !isHttpUrl(value, true)) {
                    return name + " must be an https:// URL: plain http:// is accepted only in development mode (start-dev).";
                }
            }
            case SECRET -> {
                if (!context.developmentMode() && !isVaultReference(value)) {
                    return name + " must be a vault reference such as ${vault.sms-token}: plain secrets are accepted"
                            + " only in development mode (start-dev). The value was not saved.";
                }
            }
            case REGION_LIST -> {
                if (!REGIONS.matcher(value).matches()) {
                    return name + " must be ISO 3166 country codes or ISO 3166-2 region codes separated by commas,"
                            + " e.g. US,CA-ON; \"" + value + "\" is not.";
                }
            }
            case DOCUMENT_TYPES -> {
                if (value.length() > 1000 || !DOCUMENT_TYPE_RULES.matcher(value).matches()
                        || !DocumentType.allKnown(value)) {
                    return name + " must look like *=passport,id_card;US=passport using the types "
                            + DocumentType.ids() + "; \"" + value + "\" does not.";
                }
            }
            case EMAIL -> {
                if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
                    return name + " must be one email address such as support@example.com; \"" + value + "\" is not.";
                }
            }
            case TEXT -> {
                if (value.length() > 255) {
                    return name + " must be at most 255 characters long.";
                }
            }
        }
        return null;
    }

    /** The stored value as a number, or the default when it is missing, garbled or out of range. */
    int intValue(String raw) {
        Integer value = raw == null ? null : parse(raw.trim());
        return value == null || value < min || value > max ? Integer.parseInt(defaultValue) : value;
    }

    /** The stored value, or the default when it is missing or blank. */
    String textValue(String raw) {
        return raw == null || raw.isBlank() ? defaultValue : raw.trim();
    }

    public static boolean isVaultReference(String value) {
        return value != null && VAULT_REFERENCE.matcher(value.trim()).matches();
    }

    private static Integer parse(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isHttpUrl(String value, boolean httpsOnly) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean schemeOk = httpsOnly ? scheme.equals("https") : scheme.equals("https") || scheme.equals("http");
            return schemeOk && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
