package dev.tillit.keycloak.sms;

import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * Prints the message where the operator trying the demo sees it: the server console. Only in
 * development mode ({@code start-dev}): anywhere else it refuses, so that no code ever reaches a
 * production log; the user is told to try again and the operator reads why in the log.
 */
class ConsoleSmsSender implements SmsSender {

    static final String REFUSED = "The 'console' SMS gateway works only in development mode (kc.sh start-dev);"
            + " this server runs in production mode, so the message was NOT sent (and not logged)."
            + " Choose a real SMS gateway under Realm settings > Tillit.";

    private final Logger log;
    private final BooleanSupplier developmentMode;

    ConsoleSmsSender(Logger log, BooleanSupplier developmentMode) {
        this.log = log;
        this.developmentMode = developmentMode;
    }

    @Override
    public void send(SmsGateway gateway, String phoneNumber, String text) throws SmsDeliveryException {
        if (!developmentMode.getAsBoolean()) {
            throw new SmsDeliveryException(REFUSED);
        }
        log.infof("%n----- SMS (console gateway) -----%nTo:   %s%n%s%n---------------------------------", phoneNumber, text);
    }
}
