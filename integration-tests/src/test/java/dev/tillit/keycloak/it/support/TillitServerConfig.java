package dev.tillit.keycloak.it.support;

import org.keycloak.testframework.server.KeycloakServerConfig;
import org.keycloak.testframework.server.KeycloakServerConfigBuilder;

/**
 * The one server configuration of the whole suite: every test class names this class, so the
 * framework boots Keycloak once (distribution mode, PostgreSQL) and shares it.
 */
public class TillitServerConfig implements KeycloakServerConfig {

    @Override
    public KeycloakServerConfigBuilder configure(KeycloakServerConfigBuilder config) {
        return config
                .dependency("dev.tillit", "tillit-keycloak", true)
                // SMS goes to the console in the suite until a test installs the HTTP gateway.
                .option("spi-tillit-sms-sender--provider", "console")
                .option("log-level", "INFO,dev.tillit:DEBUG");
    }
}
