package dev.tillit.keycloak.it.support;

import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

/**
 * The demo realm exactly as {@code realm-config/tillit-realm.json} declares it, except for what
 * Keycloak's {@code --import-realm} resolves from the environment and the admin REST API does not:
 * the SMTP placeholders, which here point at the suite's GreenMail (localhost:3025); and the
 * per-IP code limit and the password grant's per-IP budget of failed password checks, since all of the
 * suite's traffic comes from one address; new-device alerts
 * (off, see below); and the answer-time floor of code sends (none, see below).
 * Use as {@code @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = GLOBAL)}.
 */
public class TillitRealm implements RealmConfig {

    public static final String JSON = "/tillit-realm.json";
    public static final String MAIL_FROM = "no-reply@tillit.example";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.smtp("localhost", 3025, MAIL_FROM).update(rep -> {
                var tillit = rep.getComponents().get("org.keycloak.services.ui.extend.UiTabProvider").get(0).getConfig();
                // Every browser in the suite is 127.0.0.1: lift the per-IP hourly code limit above
                // what the suite sends (the per-recipient limit stays, and is tested).
                tillit.putSingle("sendsPerIpPerHour", "1000");
                // Likewise the password grant's budget of failed checks (PasswordGrantBudgetIT sets its own
                // and sends from addresses of its own through the trusted proxy header).
                tillit.putSingle("passwordGrantFailuresPerIpPerHour", "10000");
                // New-device alerts off: the suite clears the browser's cookies before every test, so every
                // sign-in would come from a new device and send a mail and an SMS that the other tests'
                // counts do not expect. DeviceIT turns them on (TillitSettingsAdmin) and tests them.
                tillit.putSingle("knownDevicesPerUser", "0");
                // No answer-time floor on code sends (the product's default is 1.5 s, so that timing cannot tell
                // a known recipient from an unknown one): the suite sends a few hundred codes and would wait
                // minutes for nothing. The two tests of the floor set it back to 1500 (PasswordResetIT,
                // ResetAttackIT) and measure it.
                tillit.putSingle("resetResponseFloorMillis", "0");
            });
    }
}
