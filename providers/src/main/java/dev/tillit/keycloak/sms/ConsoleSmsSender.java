package dev.tillit.keycloak.sms;

import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

/** Prints the message where the operator trying the demo sees it: the server console. */
class ConsoleSmsSender implements SmsSender {

    private final Logger log;

    ConsoleSmsSender(Logger log) {
        this.log = log;
    }

    @Override
    public void send(RealmModel realm, String phoneNumber, String text) {
        log.infof("%n----- SMS (console gateway, realm %s) -----%nTo:   %s%n%s%n-------------------------------------------",
                realm.getName(), phoneNumber, text);
    }
}
