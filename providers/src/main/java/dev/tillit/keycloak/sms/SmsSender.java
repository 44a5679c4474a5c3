package dev.tillit.keycloak.sms;

import org.keycloak.provider.Provider;

/**
 * Delivers one text message to one phone number. Implementations talk to a gateway (or, for
 * development, the console); they never decide what to send, to whom or how often — that is
 * the code engine's job.
 */
public interface SmsSender extends Provider {

    /**
     * @param gateway     the realm's gateway settings
     * @param phoneNumber the recipient in E.164 form, e.g. {@code +46701234567}
     * @param text        the message, already localised
     * @throws SmsDeliveryException when the gateway refused or could not be reached; the caller
     *                              tells the user to try again and consumes none of their attempts
     */
    void send(SmsGateway gateway, String phoneNumber, String text) throws SmsDeliveryException;

    @Override
    default void close() {
    }
}
