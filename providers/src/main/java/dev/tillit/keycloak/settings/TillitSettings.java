package dev.tillit.keycloak.settings;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * A realm's Tillit settings, read from the "Tillit" page of the admin console (a component of
 * {@link TillitSettingsPageFactory}). Immutable and cheap: build one per request with {@link #of}.
 * Every value has a safe default, so a realm without the page still works (console SMS, strict limits).
 */
public final class TillitSettings {

    public static final String CODE_LIFETIME = "codeLifetimeSeconds";
    public static final String CODE_MAX_ATTEMPTS = "codeMaxAttempts";
    public static final String RESEND_COOLDOWN = "resendCooldownSeconds";
    public static final String SENDS_PER_NUMBER = "sendsPerIdentifierPerHour";
    public static final String SENDS_PER_IP = "sendsPerIpPerHour";
    public static final String WRONG_CODES_PER_DAY = "wrongCodesPerDay";
    public static final String GUESSING_PAUSE = "guessingPauseMinutes";
    public static final String GUESSING_PAUSE_MAX = "guessingPauseMaxMinutes";
    public static final String SMS_PER_REALM = "smsPerRealmPerHour";
    public static final String SMS_PER_COUNTRY = "smsPerCountryPerHour";
    public static final String SMS_COUNTRIES = "smsAllowedCountries";
    public static final String DEFAULT_REGION = "phoneDefaultRegion";
    public static final String SMS_GATEWAY = "smsGateway";
    public static final String SMS_URL = "smsUrl";
    public static final String SMS_SECRET = "smsSecret";
    public static final String SMS_SENDER = "smsSender";
    public static final String SMS_TIMEOUT = "smsTimeoutSeconds";
    /** Prefix of the selected gateway's own options (its factory's config properties), e.g. {@code sms.auth}. */
    public static final String SMS_OPTION_PREFIX = "sms.";
    public static final String LOCK_AFTER_PASSWORD = "lockAfterPasswordChangeHours";
    public static final String LOCK_AFTER_SECOND_FACTOR = "lockAfterSecondFactorRemovalHours";
    public static final String LOCK_AFTER_IDENTIFIER = "lockAfterIdentifierChangeHours";
    public static final String RESET_RESPONSE_FLOOR = "resetResponseFloorMillis";
    public static final String TERMS_URL = "termsUrl";
    public static final String TERMS_VERSION = "termsVersion";
    public static final String PRIVACY_URL = "privacyUrl";
    public static final String PRIVACY_VERSION = "privacyVersion";

    private final MultivaluedHashMap<String, String> config;

    private TillitSettings(MultivaluedHashMap<String, String> config) {
        this.config = config;
    }

    public static TillitSettings of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> TillitSettingsPageFactory.ID.equals(c.getProviderId()))
                .findFirst()
                .map(ComponentModel::getConfig)
                .map(TillitSettings::new)
                .orElseGet(() -> new TillitSettings(new MultivaluedHashMap<>()));
    }

    public Duration codeLifetime() {
        return Duration.ofSeconds(number(CODE_LIFETIME, 300, 1, 3600));
    }

    public int codeMaxAttempts() {
        return number(CODE_MAX_ATTEMPTS, 5, 1, 20);
    }

    public Duration resendCooldown() {
        return Duration.ofSeconds(number(RESEND_COOLDOWN, 60, 0, 3600));
    }

    public int sendsPerIdentifierPerHour() {
        return number(SENDS_PER_NUMBER, 5, 1, 100);
    }

    public int sendsPerIpPerHour() {
        return number(SENDS_PER_IP, 20, 1, 1000);
    }

    /** Wrong codes against one account or recipient, per step, in any 24 h before new codes pause. */
    public int wrongCodesPerDay() {
        return number(WRONG_CODES_PER_DAY, 20, 5, 200);
    }

    /** The first pause once the daily wrong-code budget is spent; each further pause that day doubles. */
    public Duration guessingPause() {
        return Duration.ofMinutes(number(GUESSING_PAUSE, 15, 1, 240));
    }

    /** The longest pause: how long a stranger can keep the owner from getting a code. */
    public Duration guessingPauseMax() {
        return Duration.ofMinutes(Math.max(number(GUESSING_PAUSE_MAX, 240, 1, 1440), (int) guessingPause().toMinutes()));
    }

    /** SMS the whole realm may send in any hour (codes and notices): the ceiling on an SMS-pumping bill. */
    public int smsPerRealmPerHour() {
        return number(SMS_PER_REALM, 2000, 1, 1_000_000);
    }

    /** SMS to any one country in any hour. */
    public int smsPerCountryPerHour() {
        return number(SMS_PER_COUNTRY, 500, 1, 1_000_000);
    }

    /** ISO 3166 alpha-2 codes SMS may go to; SMS-pumping fraud targets premium ranges elsewhere. */
    public Set<String> smsAllowedCountries() {
        return Arrays.stream(text(SMS_COUNTRIES, "SE,NO,DK,FI").split("[,\\s]+"))
                .map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public String phoneDefaultRegion() {
        return text(DEFAULT_REGION, "SE").toUpperCase(Locale.ROOT);
    }

    /** The SmsSender provider id; {@code console} (development) until an admin picks a real gateway. */
    public String smsGateway() {
        return text(SMS_GATEWAY, "console");
    }

    public String smsUrl() {
        return text(SMS_URL, null);
    }

    /** The raw value: a vault reference such as {@code ${vault.sms-token}}, resolved by the caller. */
    public String smsSecretReference() {
        return text(SMS_SECRET, null);
    }

    public String smsSender() {
        return text(SMS_SENDER, null);
    }

    public Duration smsTimeout() {
        return Duration.ofSeconds(number(SMS_TIMEOUT, 10, 1, 60));
    }

    /** The gateway's own options ({@code sms.<key>} on the page), keyed as the SmsSender factory names them. */
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
        return Duration.ofHours(number(LOCK_AFTER_PASSWORD, 24, 0, 24 * 30));
    }

    public Duration lockAfterSecondFactorRemoval() {
        return Duration.ofHours(number(LOCK_AFTER_SECOND_FACTOR, 24, 0, 24 * 30));
    }

    public Duration lockAfterIdentifierChange() {
        return Duration.ofHours(number(LOCK_AFTER_IDENTIFIER, 24, 0, 24 * 30));
    }

    /**
     * Every code step answers a send (first screen, resend) no sooner than this, whether or not
     * an account exists. Steps that could reveal an account deliver off the request thread, so
     * the gateway's latency never shows; the floor hides the remaining differences (lookups).
     */
    public Duration codeResponseFloor() {
        return Duration.ofMillis(number(RESET_RESPONSE_FLOOR, 1500, 0, 10_000));
    }

    public String termsUrl() {
        return text(TERMS_URL, "https://tillit.example/legal/user-agreement");
    }

    public String termsVersion() {
        return text(TERMS_VERSION, "1");
    }

    public String privacyUrl() {
        return text(PRIVACY_URL, "https://tillit.example/legal/privacy");
    }

    public String privacyVersion() {
        return text(PRIVACY_VERSION, "1");
    }

    private String text(String key, String fallback) {
        String value = config.getFirst(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Out-of-range or garbled values fall back to the default rather than weakening a limit. */
    private int number(String key, int fallback, int min, int max) {
        try {
            int value = Integer.parseInt(text(key, String.valueOf(fallback)));
            return value < min || value > max ? fallback : value;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
