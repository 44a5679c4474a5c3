package dev.tillit.keycloak.sms;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Twilio Programmable Messaging. The gateway secret is the account's auth token, the gateway URL
 * (optional) replaces {@code https://api.twilio.com}, e.g. for a regional edge or an egress proxy.
 */
public class TwilioSmsSenderFactory implements SmsSenderFactory, ConfiguredProvider {

    public static final String ID = "twilio";

    /** {@link SmsGateway#options()} key: the account SID ({@code AC...}); required. */
    public static final String OPTION_ACCOUNT_SID = "accountSid";

    /** {@link SmsGateway#options()} key: a Messaging Service SID ({@code MG...}) to send from instead of the sender number. */
    public static final String OPTION_MESSAGING_SERVICE_SID = "messagingServiceSid";

    private static final Logger LOG = Logger.getLogger(TwilioSmsSender.class);

    private final GatewayHttp http = new GatewayHttp();

    /** Thread-safe once configured, and this one is never reconfigured. */
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public SmsSender create(KeycloakSession session) {
        return new TwilioSmsSender(http, json, LOG);
    }

    @Override
    public String getHelpText() {
        return "Sends through Twilio's Messages API. The gateway secret is the account's auth token;"
                + " the sender is the Twilio number (E.164) or alphanumeric sender ID, unless a Messaging Service is set;"
                + " the URL defaults to " + TwilioSmsSender.DEFAULT_BASE_URL + ".";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(OPTION_ACCOUNT_SID)
                .label("Account SID")
                .helpText("The Twilio account SID (AC...), from the Twilio console. Required.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .required(true)
                .add()
                .property()
                .name(OPTION_MESSAGING_SERVICE_SID)
                .label("Messaging Service SID")
                .helpText("Optional (MG...). When set, messages are sent through this Messaging Service"
                        + " and the sender number is not used.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .add()
                .build();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
