package dev.tillit.keycloak.code;

import java.util.Map;

import org.keycloak.email.freemarker.FreeMarkerEmailTemplateProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's own email rendering (theme, locale, FreeMarker, realm attributes), stopped just
 * before the SMTP call, so the rendered mail can be delivered later or on another thread.
 */
final class MailRenderer extends FreeMarkerEmailTemplateProvider {

    private RenderedMessage.Mail rendered;

    MailRenderer(KeycloakSession session) {
        super(session);
    }

    RenderedMessage.Mail rendered() {
        return rendered;
    }

    @Override
    protected void send(Map<String, String> config, String subject, String textBody, String htmlBody, String address) {
        rendered = new RenderedMessage.Mail(address, subject, textBody, htmlBody);
    }
}
