package dev.tillit.keycloak.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.provider.ProviderConfigProperty;

/** Each setting is declared once; the tab, the check on save and the reader all follow it. */
class TillitSettingTest {

    private static final Set<String> GATEWAYS = new TreeSet<>(Set.of("console", "http", "twilio"));
    private static final TillitSetting.Context DEV = new TillitSetting.Context(true, GATEWAYS);
    private static final TillitSetting.Context PROD = new TillitSetting.Context(false, GATEWAYS);

    @Test
    void keysAreUniqueAndEveryDeclarationIsComplete() {
        Set<String> keys = new HashSet<>();
        for (TillitSetting setting : TillitSetting.values()) {
            assertTrue(keys.add(setting.key()), "duplicate key " + setting.key());
            assertFalse(setting.label().isBlank(), setting.name());
            assertFalse(setting.helpText().isBlank(), setting.name());
            if (setting.kind() == TillitSetting.Kind.INTEGER) {
                int value = Integer.parseInt(setting.defaultValue());
                assertTrue(setting.min() <= value && value <= setting.max(), setting + ": default outside its range");
                assertTrue(setting.helpText().contains("Allowed: " + setting.min() + " to " + setting.max()), setting.helpText());
            }
            if (setting.defaultValue() != null) {
                assertTrue(setting.helpText().contains("Default: " + setting.defaultValue()), setting.helpText());
                assertNull(setting.problem(setting.defaultValue(), PROD), setting + ": default refused");
            }
        }
    }

    @Test
    void theKeysOfExistingRealmsAreKept() {
        // Renaming a key would silently drop that setting from every existing realm and realm file.
        assertEquals(List.of("codeLifetimeSeconds", "codeMaxAttempts", "resendCooldownSeconds",
                        "sendsPerIdentifierPerHour", "sendsPerIpPerHour", "wrongCodesPerDay", "guessingPauseMinutes",
                        "guessingPauseMaxMinutes", "smsPerRealmPerHour", "smsPerCountryPerHour", "resetResponseFloorMillis",
                        "smsGateway", "smsUrl", "smsSecret", "smsSender", "smsTimeoutSeconds", "phoneDefaultRegion",
                        "smsAllowedCountries", "lockAfterPasswordChangeHours", "lockAfterSecondFactorRemovalHours",
                        "lockAfterIdentifierChangeHours", "lockAfterDisownedSignInHours", "lockAfterIdentityLinkedHours", "trustedDeviceDays",
                        "knownDevicesPerUser", "termsUrl", "termsVersion", "privacyUrl", "privacyVersion",
                        "botCheckProvider", "botCheckDifficultyBits", "botCheckChallengeSeconds", "botCheckSiteKey",
                        "botCheckSecret", "botCheckMinScorePercent", "botCheckTimeoutSeconds", "botCheckVerifyUrl",
                        "supportEmail", "kycKey", "kycRestrictedCountries", "kycDocumentTypes", "kycTwoSidedDocuments",
                        "kycMaxUploadMegabytes", "kycMaxMegapixels", "kycMinPictureSide", "kycMinSharpness", "kycSubmissionsPerDay",
                        "kycDraftDays", "kycRetentionDays", "kycMinimumAge", "kycReviewDays", "kycLevel1DailyLimitEur",
                        "kycWebhookUrl", "kycWebhookSecret", "kycVerifier", "kycSumsubUrl", "kycSumsubAppToken",
                        "kycSumsubSecretKey", "kycSumsubWebhookSecret", "kycSumsubLevelName", "kycReviewClients", "kycVendorApprovedLevel",
                        "kycVendorRetrySeconds", "passwordGrantFailuresPerIpPerHour"),
                Arrays.stream(TillitSetting.values()).map(TillitSetting::key).toList());
    }

    @Test
    void theSupportAddressMustBeOneEmailAddress() {
        assertNull(TillitSetting.SUPPORT_EMAIL.problem("support@tillit.example", PROD));
        assertNull(TillitSetting.SUPPORT_EMAIL.problem("", PROD), "empty: no support line");
        for (String bad : List.of("support", "a@b.example, c@d.example", "Support <s@t.example>", "a@b", "x@y.example?cc=z@w.example")) {
            assertTrue(String.valueOf(TillitSetting.SUPPORT_EMAIL.problem(bad, PROD)).contains("one email address"), bad);
        }
    }

    @Test
    void outOfRangeNumbersAreRefusedWithTheSettingAndItsRange() {
        String problem = TillitSetting.CODE_LIFETIME.problem("0", PROD);
        assertEquals("\"Codes and limits \u00b7 Code lifetime (seconds)\" (codeLifetimeSeconds) must be a whole number"
                + " from 1 to 3600; \"0\" is not.", problem);
        assertNotNull(TillitSetting.CODE_LIFETIME.problem("3601", PROD));
        assertNotNull(TillitSetting.CODE_LIFETIME.problem("five", PROD));
        assertNotNull(TillitSetting.CODE_LIFETIME.problem("1.5", PROD));
        assertNull(TillitSetting.CODE_LIFETIME.problem("1", PROD));
        assertNull(TillitSetting.CODE_LIFETIME.problem(" 3600 ", PROD));
        assertNull(TillitSetting.CODE_LIFETIME.problem("", PROD), "blank means the default");
        assertNotNull(TillitSetting.WRONG_CODES_PER_DAY.problem("4", PROD));
    }

    @Test
    void textSettingsAreChecked() {
        assertNotNull(TillitSetting.PHONE_DEFAULT_REGION.problem("SWE", PROD));
        assertNull(TillitSetting.PHONE_DEFAULT_REGION.problem("se", PROD));
        assertNotNull(TillitSetting.SMS_ALLOWED_COUNTRIES.problem("SE;NO", PROD));
        assertNull(TillitSetting.SMS_ALLOWED_COUNTRIES.problem("SE, NO DK", PROD));
        assertNotNull(TillitSetting.TERMS_URL.problem("javascript:alert(1)", PROD));
        assertNull(TillitSetting.TERMS_URL.problem("https://example.com/terms", PROD));
        assertNotNull(TillitSetting.TERMS_VERSION.problem("x".repeat(256), PROD));
    }

    @Test
    void onlyInstalledGatewaysMayBeChosen() {
        assertNull(TillitSetting.SMS_GATEWAY.problem("twilio", PROD));
        String problem = TillitSetting.SMS_GATEWAY.problem("vonage", PROD);
        assertTrue(problem.contains("[console, http, twilio]") && problem.contains("vonage"), problem);
    }

    @Test
    void plainSecretsAndHttpUrlsOnlyInDevelopmentMode() {
        assertNull(TillitSetting.SMS_SECRET.problem("${vault.sms-token}", PROD));
        String secret = TillitSetting.SMS_SECRET.problem("hunter2", PROD);
        assertTrue(secret.contains("vault reference") && secret.contains("development mode"), secret);
        assertFalse(secret.contains("hunter2"), "a refused secret is not echoed");
        assertNull(TillitSetting.SMS_SECRET.problem("hunter2", DEV));

        assertNull(TillitSetting.SMS_URL.problem("https://sms.example/send", PROD));
        String url = TillitSetting.SMS_URL.problem("http://sms.example/send", PROD);
        assertTrue(url.contains("https://") && url.contains("development mode"), url);
        assertNull(TillitSetting.SMS_URL.problem("http://localhost:3000/sms", DEV));
        assertNotNull(TillitSetting.SMS_URL.problem("file:///etc/passwd", DEV));
    }

    @Test
    void aSaveListsEveryRefusedValue() {
        ComponentModel model = new ComponentModel();
        model.put("codeMaxAttempts", "0");
        model.put("smsTimeoutSeconds", "600");
        model.put("smsSecret", "plain");
        model.put("sms.token", "plain-too");
        ProviderConfigProperty secretOption = new ProviderConfigProperty("sms.token", "SMS gateway \u00b7 x: Token", "",
                ProviderConfigProperty.STRING_TYPE, null, true);
        List<String> problems = TillitSettingsTabFactory.problems(model, PROD, List.of(secretOption));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("codeMaxAttempts") && problems.get(0).contains("from 1 to 20"));
        assertTrue(problems.get(1).contains("smsSecret") && problems.get(1).contains("vault reference"));
        assertTrue(problems.get(2).contains("smsTimeoutSeconds") && problems.get(2).contains("from 1 to 60"));
        assertTrue(problems.get(3).contains("sms.token"));
        assertEquals(2, TillitSettingsTabFactory.problems(model, DEV, List.of(secretOption)).size(),
                TillitSettingsTabFactory.problems(model, DEV, List.of(secretOption)).toString());
    }

    @Test
    void theRefusalReachesTheAdminAsWritten() {
        // Keycloak runs the message through MessageFormat: braces and quotes must survive.
        ComponentValidationException e = TillitSettingsTabFactory.refused("Use ${vault.sms-token}, don't \"paste\" it.");
        assertEquals("Use ${vault.sms-token}, don't \"paste\" it.", TillitStatus.text(e));
    }

    @Test
    void theTabShowsStatusThenEveryGroupInOrderWithTheInstalledGateways() {
        ProviderConfigProperty option = new ProviderConfigProperty("sms.auth", "SMS gateway \u00b7 http: Authentication",
                "", ProviderConfigProperty.LIST_TYPE, "bearer");
        List<ProviderConfigProperty> properties = TillitSettingsTabFactory.buildProperties(GATEWAYS, List.of(option));
        List<String> names = properties.stream().map(ProviderConfigProperty::getName).toList();
        assertEquals(List.of(TillitStatus.SMS_KEY, TillitStatus.LISTENER_KEY), names.subList(0, 2));
        assertTrue(properties.get(0).isReadOnly() && properties.get(1).isReadOnly());
        assertEquals(2 + TillitSetting.values().length + 1, properties.size());
        assertEquals(names.indexOf("smsTimeoutSeconds") + 1, names.indexOf("sms.auth"), "gateway options follow the gateway");

        List<String> groups = new ArrayList<>();
        for (ProviderConfigProperty property : properties.subList(2, properties.size())) {
            String group = property.getLabel().substring(0, property.getLabel().indexOf(" \u00b7 "));
            if (groups.isEmpty() || !groups.get(groups.size() - 1).equals(group)) {
                groups.add(group);
            }
        }
        assertEquals(List.of("Codes and limits", "SMS gateway", "Phone numbers", "Withdrawal lock", "Devices", "Legal documents", "Bot check", "Identity verification"), groups);

        ProviderConfigProperty gateway = properties.get(names.indexOf("smsGateway"));
        assertEquals(ProviderConfigProperty.LIST_TYPE, gateway.getType());
        assertEquals(List.of("console", "http", "twilio"), gateway.getOptions());
        assertTrue(properties.get(names.indexOf("smsSecret")).isSecret());
        assertEquals(300, properties.get(names.indexOf("codeLifetimeSeconds")).getDefaultValue());
    }

    @Test
    void theReaderUsesDefaultsForMissingAndOutOfRangeValues() {
        TillitSettings empty = new TillitSettings(new MultivaluedHashMap<>());
        assertEquals(Duration.ofSeconds(300), empty.codeLifetime());
        assertEquals("console", empty.smsGateway());
        assertEquals(Set.of("SE", "NO", "DK", "FI"), empty.smsAllowedCountries());
        assertNull(empty.smsSecretReference());
        assertEquals(Duration.ofMillis(1500), empty.codeResponseFloor());

        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("codeLifetimeSeconds", "99999");
        config.putSingle("codeMaxAttempts", " 7 ");
        config.putSingle("guessingPauseMinutes", "60");
        config.putSingle("guessingPauseMaxMinutes", "30");
        config.putSingle("phoneDefaultRegion", "no");
        config.putSingle("sms.auth", "hmac");
        config.putSingle("statusSmsDelivery", "not a setting");
        TillitSettings settings = new TillitSettings(config);
        assertEquals(Duration.ofSeconds(300), settings.codeLifetime(), "out of range: the default, never weaker");
        assertEquals(7, settings.codeMaxAttempts());
        assertEquals(Duration.ofMinutes(60), settings.guessingPauseMax(), "never shorter than the first pause");
        assertEquals("NO", settings.phoneDefaultRegion());
        assertEquals(Map.of("auth", "hmac"), settings.smsOptions());
    }

    @Test
    void theDemoRealmUsesOnlyDeclaredKeysAndValidValues() throws IOException {
        JsonNode component = demoRealm().path("components").path("org.keycloak.services.ui.extend.UiTabProvider").path(0);
        assertEquals(TillitSettingsTabFactory.ID, component.path("providerId").asText());
        ComponentModel model = new ComponentModel();
        for (Iterator<Map.Entry<String, JsonNode>> it = component.path("config").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            boolean declared = Arrays.stream(TillitSetting.values()).anyMatch(s -> s.key().equals(entry.getKey()));
            assertTrue(declared || entry.getKey().startsWith(TillitSettings.SMS_OPTION_PREFIX), "unknown key " + entry.getKey());
            model.put(entry.getKey(), entry.getValue().path(0).asText());
        }
        assertEquals(List.of(), TillitSettingsTabFactory.problems(model, PROD, List.of()));
    }

    private static JsonNode demoRealm() throws IOException {
        Path file = Path.of(System.getProperty("tillit.themes", "../themes")).resolveSibling("realm-config")
                .resolve("tillit-realm.json");
        return new ObjectMapper().readTree(Files.readString(file));
    }

    @Test
    void vaultReferences() {
        assertTrue(TillitSetting.isVaultReference("${vault.sms-token}"));
        assertTrue(TillitSetting.isVaultReference(" ${vault.twilio_auth} "));
        assertFalse(TillitSetting.isVaultReference("${vault.}"));
        assertFalse(TillitSetting.isVaultReference("x${vault.a}"));
        assertFalse(TillitSetting.isVaultReference("${env.SECRET}"));
        assertThrows(NullPointerException.class, () -> TillitSetting.valueOf(null));
    }

    @Test
    void theBotCheckSecretIsAVaultReferenceAndTheProviderOneOfFour() {
        assertNotNull(TillitSetting.BOT_CHECK_SECRET.problem("0x4AAAAplain", PROD));
        assertEquals(null, TillitSetting.BOT_CHECK_SECRET.problem("${vault.bot-check-secret}", PROD));
        for (String provider : List.of("pow", "turnstile", "hcaptcha", "recaptcha")) {
            assertEquals(null, TillitSetting.BOT_CHECK_PROVIDER.problem(provider, PROD));
        }
        assertNotNull(TillitSetting.BOT_CHECK_PROVIDER.problem("recaptcha-v2", PROD));
        assertNotNull(TillitSetting.BOT_CHECK_VERIFY_URL.problem("http://127.0.0.1:9/siteverify", PROD));
        assertEquals(null, TillitSetting.BOT_CHECK_VERIFY_URL.problem("https://siteverify.staging.example/v0", PROD));
        assertNotNull(TillitSetting.BOT_CHECK_DIFFICULTY.problem("40", PROD));
        assertEquals(List.of("pow", "turnstile", "hcaptcha", "recaptcha"), TillitSetting.BOT_CHECK_PROVIDER.property().getOptions());
    }
}
