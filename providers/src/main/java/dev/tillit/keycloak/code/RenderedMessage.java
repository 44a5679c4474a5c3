package dev.tillit.keycloak.code;

import dev.tillit.keycloak.sms.SmsGateway;

/**
 * A code, notice or alert rendered on the request thread (the user's language, the realm's theme),
 * ready to hand to a gateway — on this thread or, when timing must not tell anything, on another.
 */
public sealed interface RenderedMessage {

    /** Whom it goes to: an E.164 number or an email address. */
    String to();

    record Sms(String gatewayId, SmsGateway gateway, String to, String text) implements RenderedMessage {
    }

    record Mail(String to, String subject, String textBody, String htmlBody) implements RenderedMessage {
    }
}
