package dev.tillit.keycloak.it.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Google, played by a second realm of the same server: the demo realm's {@code google} provider
 * talks to Google's own endpoints, which a test cannot reach, so journeys through "Google" use
 * this realm behind a provider {@link #ALIAS} with Google's settings (Keycloak's generic OpenID
 * Connect provider, PKCE S256, trusted email, our first-sign-in flow).
 * <p>
 * A test class injects the realm as
 * {@code @InjectRealm(ref = "google", config = GoogleStandIn.Realm.class) ManagedRealm google;},
 * {@link #register}s the provider before each test and {@link #remove}s it after.
 */
public final class GoogleStandIn {

    public static final String ALIAS = "google-realm";
    /** What the consoles, the pages and the notices call the provider. */
    public static final String DISPLAY_NAME = "Google (stand-in)";
    /** The password of every account {@link #user} makes at "Google". */
    public static final String PASSWORD = "Google-Pass1!";

    private static final String BROKER_CLIENT = "tillit-broker";
    private static final String BROKER_SECRET = "google-standin-secret";

    private GoogleStandIn() {
    }

    /** The stand-in realm: one confidential client, ours, which may come back only to our broker endpoint. */
    public static class Realm implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.name("google-standin").clients(ClientBuilder.create(BROKER_CLIENT).secret(BROKER_SECRET)
                    .redirectUris("http://localhost:8080/realms/tillit/broker/" + ALIAS + "/endpoint*"));
        }
    }

    /** Adds the stand-in to the {@code tillit} realm as the identity provider {@link #ALIAS}. */
    public static void register(ManagedRealm tillit, ManagedRealm google) {
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(ALIAS);
        idp.setDisplayName(DISPLAY_NAME);
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setTrustEmail(true);
        idp.setFirstBrokerLoginFlowAlias("tillit first broker login");
        String base = google.getBaseUrl();
        Map<String, String> config = new HashMap<>();
        config.put("clientId", BROKER_CLIENT);
        config.put("clientSecret", BROKER_SECRET);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("issuer", base);
        config.put("authorizationUrl", base + "/protocol/openid-connect/auth");
        config.put("tokenUrl", base + "/protocol/openid-connect/token");
        config.put("jwksUrl", base + "/protocol/openid-connect/certs");
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        config.put("defaultScope", "openid email profile");
        config.put("syncMode", "IMPORT");
        idp.setConfig(config);
        tillit.admin().identityProviders().create(idp).close();
    }

    public static void remove(ManagedRealm tillit) {
        tillit.admin().identityProviders().get(ALIAS).remove();
    }

    /** A Google account (verified {@code email}, name Gun Berg, password {@link #PASSWORD}); returns its username. */
    public static String user(ManagedRealm google, String email) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("g" + UUID.randomUUID().toString().substring(0, 8));
        user.setEmail(email);
        user.setEmailVerified(true);
        user.setFirstName("Gun");
        user.setLastName("Berg");
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (Response created = google.admin().users().create(user)) {
            if (created.getStatus() != 201) {
                throw new AssertionError("Google account not created: " + created.getStatus() + " " + created.readEntity(String.class));
            }
        }
        return user.getUsername();
    }

    /** On "Google"'s own sign-in page (Keycloak's login theme): signs in as {@code username}. */
    public static void signIn(WebDriver browser, String username) {
        Browser.waitFor(browser, By.id("kc-form-login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }
}
