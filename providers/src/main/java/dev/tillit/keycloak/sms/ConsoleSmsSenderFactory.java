package dev.tillit.keycloak.sms;

import dev.tillit.keycloak.ServerMode;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Development gateway: writes each message to the server log instead of sending it, so the
 * demo shows codes without any external service. Outside development mode ({@code start-dev}) it
 * refuses every message (see {@link ConsoleSmsSender}).
 */
public class ConsoleSmsSenderFactory implements SmsSenderFactory {

    public static final String ID = "console";

    private static final Logger LOG = Logger.getLogger(ConsoleSmsSender.class);

    @Override
    public SmsSender create(KeycloakSession session) {
        return new ConsoleSmsSender(LOG, ServerMode::isDevelopment);
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
