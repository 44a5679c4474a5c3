package dev.tillit.keycloak.sms;

import org.jboss.logging.Logger;

/** Prints the message where the operator trying the demo sees it: the server console. */
class ConsoleSmsSender implements SmsSender {

    private final Logger log;

    ConsoleSmsSender(Logger log) {
        this.log = log;
    }

    @Override
    public void send(SmsGateway gateway, String phoneNumber, String text) {
        log.infof("%n----- SMS (console gateway) -----%nTo:   %s%n%s%n---------------------------------", phoneNumber, text);
    }
}
