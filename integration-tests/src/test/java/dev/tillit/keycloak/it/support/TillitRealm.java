package dev.tillit.keycloak.it.support;

import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * The demo realm exactly as {@code realm-config/tillit-realm.json} declares it, except for what
 * Keycloak's {@code --import-realm} resolves from the environment and the admin REST API does not:
 * the SMTP placeholders, which here point at the suite's GreenMail (localhost:3025).
 * Use as {@code @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = GLOBAL)}.
 */
public class TillitRealm implements RealmConfig {

    public static final String JSON = "/tillit-realm.json";
    public static final String MAIL_FROM = "no-reply@tillit.example";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.smtp("localhost", 3025, MAIL_FROM);
    }
}
