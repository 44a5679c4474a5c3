package dev.tillit.keycloak.sms;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Generic webhook gateway: a JSON POST per message to the gateway URL, authenticated by a bearer
 * token or an HMAC signature (details on {@link HttpSmsSender}).
 */
public class HttpSmsSenderFactory implements SmsSenderFactory, ConfiguredProvider {

    public static final String ID = "http";

    /** {@link SmsGateway#options()} key: {@code bearer} (default), {@code hmac} or {@code none}. */
    public static final String OPTION_AUTH = "auth";

    private final GatewayHttp http = new GatewayHttp();

    /** Thread-safe once configured, and this one is never reconfigured. */
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public SmsSender create(KeycloakSession session) {
        return new HttpSmsSender(http, json, Clock.systemUTC());
    }

    @Override
    public String getHelpText() {
        return "Posts each text message as JSON {\"to\", \"from\", \"text\"} to the gateway URL."
                + " The gateway secret is the bearer token or the HMAC key.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(OPTION_AUTH)
                .label("Authentication")
                .helpText("bearer: 'Authorization: Bearer <secret>'. hmac: headers X-Tillit-Timestamp (epoch seconds)"
                        + " and X-Tillit-Signature (sha256=<hex HMAC-SHA256 of '<timestamp>.<body>' keyed by the secret)."
                        + " none: no credentials.")
                .type(ProviderConfigProperty.LIST_TYPE)
                .options(HttpSmsSender.AUTH_BEARER, HttpSmsSender.AUTH_HMAC, HttpSmsSender.AUTH_NONE)
                .defaultValue(HttpSmsSender.AUTH_BEARER)
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
