package dev.tillit.keycloak.settings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.sms.SmsSender;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The "Tillit" page of the admin console (Keycloak's admin-UI extension SPI): one component per
 * realm holding the realm-wide settings that {@link TillitSettings} reads. Requires the server
 * feature {@code declarative-ui}.
 */
public class TillitSettingsPageFactory implements UiPageProviderFactory<ComponentModel> {

    public static final String ID = "tillit-settings";

    private static final List<ProviderConfigProperty> CODE_AND_SMS_PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(TillitSettings.CODE_LIFETIME).label("Code lifetime (seconds)")
            .helpText("How long a one-time code (SMS or email) stays valid. Default 300.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(300).add()
            .property().name(TillitSettings.CODE_MAX_ATTEMPTS).label("Wrong attempts per code")
            .helpText("After this many wrong entries the code is dead and a new one must be requested. Default 5.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(5).add()
            .property().name(TillitSettings.RESEND_COOLDOWN).label("Resend cooldown (seconds)")
            .helpText("Minimum wait before another code may be sent for the same step. Default 60.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(60).add()
            .property().name(TillitSettings.SENDS_PER_NUMBER).label("Codes per phone number / email per hour")
            .helpText("Cluster-wide limit of codes sent to one recipient for one step (sign-up, reset, ...) in any hour. Default 5.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(5).add()
            .property().name(TillitSettings.SENDS_PER_IP).label("Codes per client IP per hour")
            .helpText("Cluster-wide limit of codes requested from one IPv4 address or IPv6 /64 network in any hour. Default 20.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(20).add()
            .property().name(TillitSettings.WRONG_CODES_PER_DAY).label("Wrong codes per account per day")
            .helpText("Wrong codes accepted against one account or recipient, per step, in any 24 hours (5-200). Past it, new codes come only after a pause. Default 20.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(20).add()
            .property().name(TillitSettings.GUESSING_PAUSE).label("First pause after too many wrong codes (minutes)")
            .helpText("Each further pause within 24 hours doubles, up to the longest pause. Default 15.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(15).add()
            .property().name(TillitSettings.GUESSING_PAUSE_MAX).label("Longest pause (minutes)")
            .helpText("The longest a stranger guessing codes can keep the owner from getting a new one. Default 240.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(240).add()
            .property().name(TillitSettings.SMS_PER_REALM).label("SMS per realm per hour")
            .helpText("All SMS of this realm (codes and notices) in any hour: the ceiling on an SMS-pumping bill. Default 2000.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(2000).add()
            .property().name(TillitSettings.SMS_PER_COUNTRY).label("SMS per country per hour")
            .helpText("SMS to any one country in any hour. Default 500.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(500).add()
            .property().name(TillitSettings.SMS_COUNTRIES).label("SMS allowed countries")
            .helpText("Comma-separated ISO country codes (e.g. SE,NO,DK,FI) that SMS may be sent to: protection against SMS-pumping fraud.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("SE,NO,DK,FI").add()
            .property().name(TillitSettings.DEFAULT_REGION).label("Default phone region")
            .helpText("Country assumed for numbers typed without a country code, e.g. 070-123 45 67. Default SE.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("SE").add()
            .property().name(TillitSettings.SMS_GATEWAY).label("SMS gateway")
            .helpText("Which SMS sender delivers codes: console (development only: prints to the server log), http or twilio.")
            .type(ProviderConfigProperty.LIST_TYPE).options("console", "http", "twilio").defaultValue("console").add()
            .property().name(TillitSettings.SMS_URL).label("SMS gateway URL")
            .helpText("http: the endpoint that receives {to, from, text} as JSON. twilio: the API base URL (default https://api.twilio.com).")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(TillitSettings.SMS_SECRET).label("SMS gateway secret")
            .helpText("Bearer token, HMAC key or Twilio auth token. Use a vault reference such as ${vault.sms-token}.")
            .type(ProviderConfigProperty.STRING_TYPE).secret(true).add()
            .property().name(TillitSettings.SMS_SENDER).label("SMS sender")
            .helpText("Sender name or number shown to the recipient (Twilio: the From number).")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(TillitSettings.SMS_TIMEOUT).label("SMS gateway timeout (seconds)")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(10).add()
            .build();

    private static final List<ProviderConfigProperty> OTHER_PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(TillitSettings.LOCK_AFTER_PASSWORD).label("Withdrawal lock after a password reset (hours)")
            .helpText("withdrawal_locked_until is set this far ahead when the password is reset or changed by any path. Default 24.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(24).add()
            .property().name(TillitSettings.LOCK_AFTER_SECOND_FACTOR).label("Withdrawal lock after a second factor is removed (hours)")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(24).add()
            .property().name(TillitSettings.LOCK_AFTER_IDENTIFIER).label("Withdrawal lock after the email or phone number changes (hours)")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(24).add()
            .property().name(TillitSettings.RESET_RESPONSE_FLOOR).label("Code steps: minimum answer time (ms)")
            .helpText("Sending a code (first screen, resend) answers no sooner than this, account or not, so timing reveals nothing. Default 1500.")
            .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(1500).add()
            .property().name(TillitSettings.TERMS_URL).label("User agreement URL")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("https://tillit.example/legal/user-agreement").add()
            .property().name(TillitSettings.TERMS_VERSION).label("User agreement version")
            .helpText("Recorded with each acceptance (terms_accepted = version@time).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("1").add()
            .property().name(TillitSettings.PRIVACY_URL).label("Privacy policy URL")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("https://tillit.example/legal/privacy").add()
            .property().name(TillitSettings.PRIVACY_VERSION).label("Privacy policy version")
            .helpText("Recorded with each acceptance (privacy_accepted = version@time).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("1").add()
            .build();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Tillit: one-time codes, SMS gateway and fraud limits, phone numbers, legal documents.";
    }

    /** Fixed at start-up: ours, plus the options each installed SMS gateway declares (as {@code sms.<key>}). */
    private List<ProviderConfigProperty> properties = concat(CODE_AND_SMS_PROPERTIES, List.of());

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return properties;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        boolean others = realm.getComponentsStream(realm.getId(), model.getProviderType())
                .anyMatch(c -> ID.equals(c.getProviderId()) && !c.getId().equals(model.getId()));
        if (others) {
            throw new ComponentValidationException("The realm already has Tillit settings; edit those instead.");
        }
        String countries = model.get(TillitSettings.SMS_COUNTRIES);
        if (countries != null && !countries.isBlank() && !countries.matches("\\s*[A-Za-z]{2}(\\s*[,\\s]\\s*[A-Za-z]{2})*\\s*")) {
            throw new ComponentValidationException("SMS allowed countries must be ISO codes separated by commas, e.g. SE,NO");
        }
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // The page shows each gateway's own options, so a gateway's settings are declared once, by its factory.
        Map<String, ProviderConfigProperty> gatewayOptions = new LinkedHashMap<>();
        factory.getProviderFactoriesStream(SmsSender.class)
                .filter(ConfiguredProvider.class::isInstance)
                .sorted(Comparator.comparing(ProviderFactory::getId))
                .forEach(gateway -> ((ConfiguredProvider) gateway).getConfigProperties().forEach(option ->
                        gatewayOptions.putIfAbsent(option.getName(), prefixed(gateway.getId(), option))));
        properties = concat(CODE_AND_SMS_PROPERTIES, new ArrayList<>(gatewayOptions.values()));
    }

    private static ProviderConfigProperty prefixed(String gatewayId, ProviderConfigProperty option) {
        ProviderConfigProperty copy = new ProviderConfigProperty(TillitSettings.SMS_OPTION_PREFIX + option.getName(),
                gatewayId + " gateway: " + option.getLabel(), option.getHelpText(), option.getType(), option.getDefaultValue(),
                option.isSecret());
        copy.setOptions(option.getOptions());
        return copy;
    }

    private static List<ProviderConfigProperty> concat(List<ProviderConfigProperty> sms, List<ProviderConfigProperty> gatewayOptions) {
        List<ProviderConfigProperty> all = new ArrayList<>(sms);
        all.addAll(gatewayOptions);
        all.addAll(OTHER_PROPERTIES);
        return List.copyOf(all);
    }

    @Override
    public void close() {
    }
}
