package dev.tillit.keycloak.settings;

import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_DIFFICULTY;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_LIFETIME;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_MIN_SCORE;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_PROVIDER;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_SECRET;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_SITE_KEY;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_TIMEOUT;
import static dev.tillit.keycloak.settings.TillitSetting.BOT_CHECK_VERIFY_URL;
import static dev.tillit.keycloak.settings.TillitSetting.CODE_LIFETIME;
import static dev.tillit.keycloak.settings.TillitSetting.CODE_MAX_ATTEMPTS;
import static dev.tillit.keycloak.settings.TillitSetting.CODE_RESPONSE_FLOOR;
import static dev.tillit.keycloak.settings.TillitSetting.GUESSING_PAUSE;
import static dev.tillit.keycloak.settings.TillitSetting.KNOWN_DEVICES;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_DOCUMENT_TYPES;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_DRAFT_DAYS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_KEY;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_LEVEL1_LIMIT;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_MAX_MEGAPIXELS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_MAX_UPLOAD_MB;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_MIN_AGE;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_RETENTION_DAYS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_MIN_SIDE;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_RESTRICTED;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_REVIEW_DAYS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SHARPNESS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUBMISSIONS_PER_DAY;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUMSUB_APP_TOKEN;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUMSUB_LEVEL;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_REVIEW_CLIENTS;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUMSUB_SECRET_KEY;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUMSUB_URL;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_SUMSUB_WEBHOOK_SECRET;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_TWO_SIDED;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_VENDOR_LEVEL;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_VENDOR_RETRY;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_VERIFIER;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_WEBHOOK_SECRET;
import static dev.tillit.keycloak.settings.TillitSetting.KYC_WEBHOOK_URL;
import static dev.tillit.keycloak.settings.TillitSetting.LOCK_AFTER_DISOWNED_SIGN_IN;
import static dev.tillit.keycloak.settings.TillitSetting.LOCK_AFTER_IDENTITY_LINKED;
import static dev.tillit.keycloak.settings.TillitSetting.TRUSTED_DEVICE_DAYS;
import static dev.tillit.keycloak.settings.TillitSetting.GUESSING_PAUSE_MAX;
import static dev.tillit.keycloak.settings.TillitSetting.LOCK_AFTER_IDENTIFIER;
import static dev.tillit.keycloak.settings.TillitSetting.LOCK_AFTER_PASSWORD;
import static dev.tillit.keycloak.settings.TillitSetting.LOCK_AFTER_SECOND_FACTOR;
import static dev.tillit.keycloak.settings.TillitSetting.PHONE_DEFAULT_REGION;
import static dev.tillit.keycloak.settings.TillitSetting.PRIVACY_URL;
import static dev.tillit.keycloak.settings.TillitSetting.PRIVACY_VERSION;
import static dev.tillit.keycloak.settings.TillitSetting.RESEND_COOLDOWN;
import static dev.tillit.keycloak.settings.TillitSetting.SENDS_PER_IDENTIFIER;
import static dev.tillit.keycloak.settings.TillitSetting.SENDS_PER_IP;
import static dev.tillit.keycloak.settings.TillitSetting.PASSWORD_GRANT_FAILURES_PER_IP;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_ALLOWED_COUNTRIES;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_GATEWAY;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_PER_COUNTRY;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_PER_REALM;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_SECRET;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_SENDER;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_TIMEOUT;
import static dev.tillit.keycloak.settings.TillitSetting.SMS_URL;
import static dev.tillit.keycloak.settings.TillitSetting.SUPPORT_EMAIL;
import static dev.tillit.keycloak.settings.TillitSetting.TERMS_URL;
import static dev.tillit.keycloak.settings.TillitSetting.TERMS_VERSION;
import static dev.tillit.keycloak.settings.TillitSetting.WRONG_CODES_PER_DAY;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiTabProvider;

/**
 * A realm's Tillit settings, read from the "Tillit" tab of the admin console (a component of
 * {@link TillitSettingsTabFactory}); what each value means, its default and range are declared
 * once in {@link TillitSetting}. Immutable and cheap: build one per request with {@link #of}.
 * Every value has a safe default, so a realm without the tab still works (strict limits; the
 * console SMS gateway, which delivers only in development mode).
 */
public final class TillitSettings {

    /** Prefix of the selected gateway's own options (its factory's config properties), e.g. {@code sms.auth}. */
    public static final String SMS_OPTION_PREFIX = "sms.";

    private final MultivaluedHashMap<String, String> config;

    TillitSettings(MultivaluedHashMap<String, String> config) {
        this.config = config;
    }

    public static TillitSettings of(RealmModel realm) {
        return new TillitSettings(component(realm).map(ComponentModel::getConfig).orElseGet(MultivaluedHashMap::new));
    }

    /**
     * The realm's settings component: the admin console's tab; a realm saved by an older Tillit
     * (a {@code UiPageProvider} component of the same id) until the tab's factory moves it.
     */
    static Optional<ComponentModel> component(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(c -> TillitSettingsTabFactory.ID.equals(c.getProviderId()))
                .findFirst()
                .or(() -> legacyComponent(realm));
    }

    static Optional<ComponentModel> legacyComponent(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> TillitSettingsTabFactory.ID.equals(c.getProviderId()))
                .findFirst();
    }

    public Duration codeLifetime() {
        return Duration.ofSeconds(number(CODE_LIFETIME));
    }

    public int codeMaxAttempts() {
        return number(CODE_MAX_ATTEMPTS);
    }

    public Duration resendCooldown() {
        return Duration.ofSeconds(number(RESEND_COOLDOWN));
    }

    public int sendsPerIdentifierPerHour() {
        return number(SENDS_PER_IDENTIFIER);
    }

    public int sendsPerIpPerHour() {
        return number(SENDS_PER_IP);
    }

    /** Failed password checks of the password grant per client address (IPv6 /64) in any hour. */
    public int passwordGrantFailuresPerIpPerHour() {
        return number(PASSWORD_GRANT_FAILURES_PER_IP);
    }

    /** Wrong codes against one account or recipient, per step, in any 24 h before new codes pause. */
    public int wrongCodesPerDay() {
        return number(WRONG_CODES_PER_DAY);
    }

    /** The first pause once the daily wrong-code budget is spent; each further pause that day doubles. */
    public Duration guessingPause() {
        return Duration.ofMinutes(number(GUESSING_PAUSE));
    }

    /** The longest pause: how long a stranger can keep the owner from getting a code. */
    public Duration guessingPauseMax() {
        return Duration.ofMinutes(Math.max(number(GUESSING_PAUSE_MAX), number(GUESSING_PAUSE)));
    }

    /** SMS the whole realm may send in any hour (codes and notices): the ceiling on an SMS-pumping bill. */
    public int smsPerRealmPerHour() {
        return number(SMS_PER_REALM);
    }

    /** SMS to any one country in any hour. */
    public int smsPerCountryPerHour() {
        return number(SMS_PER_COUNTRY);
    }

    /** ISO 3166 alpha-2 codes SMS may go to; SMS-pumping fraud targets premium ranges elsewhere. */
    public Set<String> smsAllowedCountries() {
        return Arrays.stream(text(SMS_ALLOWED_COUNTRIES).split("[,\\s]+"))
                .map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public String phoneDefaultRegion() {
        return text(PHONE_DEFAULT_REGION).toUpperCase(Locale.ROOT);
    }

    /** The SmsSender provider id; {@code console} (development only) until an admin picks a real gateway. */
    public String smsGateway() {
        return text(SMS_GATEWAY);
    }

    public String smsUrl() {
        return text(SMS_URL);
    }

    /** The raw value: a vault reference such as {@code ${vault.sms-token}}, resolved by the caller. */
    public String smsSecretReference() {
        return text(SMS_SECRET);
    }

    public String smsSender() {
        return text(SMS_SENDER);
    }

    public Duration smsTimeout() {
        return Duration.ofSeconds(number(SMS_TIMEOUT));
    }

    /** The gateway's own options ({@code sms.<key>} on the tab), keyed as the SmsSender factory names them. */
    public Map<String, String> smsOptions() {
        Map<String, String> options = new HashMap<>();
        config.forEach((key, values) -> {
            String value = values == null || values.isEmpty() ? null : values.get(0);
            if (key.startsWith(SMS_OPTION_PREFIX) && value != null && !value.isBlank()) {
                options.put(key.substring(SMS_OPTION_PREFIX.length()), value.trim());
            }
        });
        return options;
    }

    /** How long withdrawals stay locked after a password reset or change. */
    public Duration lockAfterPasswordChange() {
        return Duration.ofHours(number(LOCK_AFTER_PASSWORD));
    }

    public Duration lockAfterSecondFactorRemoval() {
        return Duration.ofHours(number(LOCK_AFTER_SECOND_FACTOR));
    }

    public Duration lockAfterIdentifierChange() {
        return Duration.ofHours(number(LOCK_AFTER_IDENTIFIER));
    }

    /** How long withdrawals stay locked after an identity provider was linked to the account. */
    public Duration lockAfterIdentityLinked() {
        return Duration.ofHours(number(LOCK_AFTER_IDENTITY_LINKED));
    }

    /** How long withdrawals stay locked after the user disowned a sign-in ("this wasn't me"). */
    public Duration lockAfterDisownedSignIn() {
        return Duration.ofHours(number(LOCK_AFTER_DISOWNED_SIGN_IN));
    }

    /** How long a device the user trusts skips the second factor; zero: the offer is off. */
    public Duration trustedDeviceLifetime() {
        return Duration.ofDays(number(TRUSTED_DEVICE_DAYS));
    }

    /** How many devices per account are remembered for new-device alerts; zero: alerts are off. */
    public int knownDevicesPerUser() {
        return number(KNOWN_DEVICES);
    }

    /**
     * Every code step answers a send (first screen, resend) no sooner than this, whether or not
     * an account exists. Steps that could reveal an account deliver off the request thread, so
     * the gateway's latency never shows; the floor hides the remaining differences (lookups).
     */
    public Duration codeResponseFloor() {
        return Duration.ofMillis(number(CODE_RESPONSE_FLOOR));
    }

    /** The address code pages name as the last resort when no code arrives; null when none is set. */
    public String supportEmail() {
        return text(SUPPORT_EMAIL);
    }

    public String termsUrl() {
        return text(TERMS_URL);
    }

    public String termsVersion() {
        return text(TERMS_VERSION);
    }

    public String privacyUrl() {
        return text(PRIVACY_URL);
    }

    public String privacyVersion() {
        return text(PRIVACY_VERSION);
    }

    /** {@code pow}, {@code turnstile}, {@code hcaptcha} or {@code recaptcha}; an unknown value counts as the default. */
    public String botCheckProvider() {
        String value = text(BOT_CHECK_PROVIDER).toLowerCase(Locale.ROOT);
        return TillitSetting.BOT_CHECK_PROVIDERS.contains(value) ? value : BOT_CHECK_PROVIDER.defaultValue();
    }

    /** Leading zero bits the proof-of-work hash must have. */
    public int botCheckDifficultyBits() {
        return number(BOT_CHECK_DIFFICULTY);
    }

    public Duration botCheckChallengeLifetime() {
        return Duration.ofSeconds(number(BOT_CHECK_LIFETIME));
    }

    public String botCheckSiteKey() {
        return text(BOT_CHECK_SITE_KEY);
    }

    /** The raw value: a vault reference such as {@code ${vault.bot-check-secret}}, resolved by the caller. */
    public String botCheckSecretReference() {
        return text(BOT_CHECK_SECRET);
    }

    /** reCAPTCHA v3's lowest accepted score, 0.0 to 1.0. */
    public double botCheckMinScore() {
        return number(BOT_CHECK_MIN_SCORE) / 100.0;
    }

    public Duration botCheckTimeout() {
        return Duration.ofSeconds(number(BOT_CHECK_TIMEOUT));
    }

    /** Null in production: each provider's own siteverify endpoint. */
    public String botCheckVerifyUrl() {
        return text(BOT_CHECK_VERIFY_URL);
    }

    /** The vault reference of the key new KYC data is encrypted under, e.g. {@code ${vault.kyc-key}}. */
    public String kycKeyReference() {
        return text(KYC_KEY);
    }

    /** Upper-case country codes (US) and region codes (CA-ON) whose residents are not served. */
    public Set<String> kycRestricted() {
        return Set.copyOf(Arrays.stream(text(KYC_RESTRICTED).split("[,\\s]+"))
                .filter(s -> !s.isBlank()).map(s -> s.toUpperCase(Locale.ROOT)).toList());
    }

    /** Where reviewer decisions are posted; null: nowhere. */
    public String kycWebhookUrl() {
        return text(KYC_WEBHOOK_URL);
    }

    /** The raw value: a vault reference such as {@code ${vault.kyc-webhook-secret}}, resolved by the caller. */
    public String kycWebhookSecretReference() {
        return text(KYC_WEBHOOK_SECRET);
    }

    /** The KycVerifier provider id that decides this realm's cases; an unknown value counts as {@code manual}. */
    public String kycVerifier() {
        String value = text(KYC_VERIFIER).toLowerCase(Locale.ROOT);
        return TillitSetting.KYC_VERIFIERS.contains(value) ? value : KYC_VERIFIER.defaultValue();
    }

    public String kycSumsubUrl() {
        return text(KYC_SUMSUB_URL);
    }

    /** The raw values: vault references such as {@code ${vault.sumsub-app-token}}, resolved by the caller. */
    public String kycSumsubAppTokenReference() {
        return text(KYC_SUMSUB_APP_TOKEN);
    }

    public String kycSumsubSecretKeyReference() {
        return text(KYC_SUMSUB_SECRET_KEY);
    }

    public String kycSumsubWebhookSecretReference() {
        return text(KYC_SUMSUB_WEBHOOK_SECRET);
    }

    /** Client ids the review API accepts besides the reviewers' page client (setting kycReviewClients). */
    public Set<String> kycReviewClients() {
        String value = text(KYC_REVIEW_CLIENTS);
        return value == null || value.isBlank() ? Set.of()
                : Set.copyOf(Arrays.stream(value.trim().split("[,\\s]+")).filter(v -> !v.isEmpty()).toList());
    }

    public String kycSumsubLevelName() {
        return text(KYC_SUMSUB_LEVEL);
    }

    /** The kyc_level a vendor's approval grants. */
    public int kycVendorApprovedLevel() {
        return number(KYC_VENDOR_LEVEL);
    }

    /** The pause before the first retry of a hand-off the vendor did not take; each further pause doubles. */
    public Duration kycVendorRetryDelay() {
        return Duration.ofSeconds(number(KYC_VENDOR_RETRY));
    }

    /** The raw rules, parsed by {@link DocumentType}. */
    public String kycDocumentTypes() {
        return text(KYC_DOCUMENT_TYPES);
    }

    public String kycTwoSidedDocuments() {
        return text(KYC_TWO_SIDED);
    }

    public long kycMaxUploadBytes() {
        return number(KYC_MAX_UPLOAD_MB) * 1_000_000L;
    }

    public long kycMaxPixels() {
        return number(KYC_MAX_MEGAPIXELS) * 1_000_000L;
    }

    public int kycMinPictureSide() {
        return number(KYC_MIN_SIDE);
    }

    public int kycMinSharpness() {
        return number(KYC_SHARPNESS);
    }

    public int kycSubmissionsPerDay() {
        return number(KYC_SUBMISSIONS_PER_DAY);
    }

    public Duration kycDraftLifetime() {
        return Duration.ofDays(number(KYC_DRAFT_DAYS));
    }

    /** How long a decided verification outlives the account it belongs to. */
    public Duration kycRetention() {
        return Duration.ofDays(number(KYC_RETENTION_DAYS));
    }

    public int kycMinimumAge() {
        return number(KYC_MIN_AGE);
    }

    public int kycReviewDays() {
        return number(KYC_REVIEW_DAYS);
    }

    public int kycLevel1DailyLimitEur() {
        return number(KYC_LEVEL1_LIMIT);
    }

    /** Trimmed value, or the declared default when missing or blank. */
    private String text(TillitSetting setting) {
        return setting.textValue(config.getFirst(setting.key()));
    }

    /**
     * Saving refuses out-of-range values; values that got in by other ways (an old realm, a
     * hand-edited export) fall back to the default rather than weakening a limit.
     */
    private int number(TillitSetting setting) {
        return setting.intValue(config.getFirst(setting.key()));
    }
}
