package dev.tillit.keycloak.code;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.tillit.keycloak.settings.TillitSettings;
import dev.tillit.keycloak.sms.SmsDeliveryException;
import dev.tillit.keycloak.sms.SmsGateway;
import dev.tillit.keycloak.sms.SmsSender;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.light.LightweightUserAdapter;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.theme.Theme;
import org.keycloak.vault.VaultStringSecret;

/**
 * Renders texts for SMS and mail in the user's language (login theme bundles, email theme
 * templates) and hands them to the realm's SMS gateway or SMTP server. Rendering and sending are
 * separate, so a step can send off the request thread. Failures surface as
 * {@link DeliveryFailedException}; the caller decides what the user sees.
 */
public class CodeDelivery {

    private static final Logger LOG = Logger.getLogger(CodeDelivery.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final TillitSettings settings;

    public CodeDelivery(KeycloakSession session, RealmModel realm, TillitSettings settings) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
    }

    /** Sends {@code messageKey} from the login theme, formatted with {@code args}, as an SMS. */
    public void sms(String e164, UserModel user, String messageKey, Object... args) throws DeliveryFailedException {
        send(session, realm, renderSms(e164, user, messageKey, args));
    }

    /**
     * Sends the email template {@code template} (html/ and text/ of the email theme). When the
     * recipient has no account yet, a transient user carries the address.
     */
    public void email(String address, UserModel user, String subjectKey, String template, Map<String, Object> attributes)
            throws DeliveryFailedException {
        send(session, realm, renderEmail(address, user, subjectKey, template, attributes));
    }

    public RenderedMessage.Sms renderSms(String e164, UserModel user, String messageKey, Object... args) {
        return new RenderedMessage.Sms(settings.smsGateway(), gateway(), e164, message(user, messageKey, args));
    }

    public RenderedMessage.Mail renderEmail(String address, UserModel user, String subjectKey, String template,
                                            Map<String, Object> attributes) throws DeliveryFailedException {
        UserModel recipient = user;
        if (recipient == null) {
            recipient = new LightweightUserAdapter(session, realm, KeycloakModelUtils.generateId());
            recipient.setEmail(address);
        }
        MailRenderer renderer = new MailRenderer(session);
        try {
            renderer.setRealm(realm).setUser(recipient)
                    .send(subjectKey, List.of(), template, new HashMap<>(attributes), address);
        } catch (EmailException e) {
            throw new DeliveryFailedException("mail template " + template + " failed: " + e.getMessage(), e);
        }
        return renderer.rendered();
    }

    /**
     * Hands a rendered message over, in {@code session} (the request's, or a background job's with
     * {@code realm} as its context realm).
     */
    public static void send(KeycloakSession session, RealmModel realm, RenderedMessage message) throws DeliveryFailedException {
        if (message instanceof RenderedMessage.Sms sms) {
            SmsSender sender = session.getProvider(SmsSender.class, sms.gatewayId());
            if (sender == null) {
                LOG.errorf("Realm %s selects SMS gateway '%s', which is not installed", realm.getName(), sms.gatewayId());
                throw new DeliveryFailedException("no SMS sender '" + sms.gatewayId() + "' is installed");
            }
            try {
                sender.send(sms.gateway(), sms.to(), sms.text());
            } catch (SmsDeliveryException e) {
                LOG.warnf("SMS gateway '%s' failed for realm %s: %s", sms.gatewayId(), realm.getName(), e.getMessage());
                throw new DeliveryFailedException(e.getMessage(), e);
            } catch (RuntimeException e) {
                LOG.warnf(e, "SMS gateway '%s' failed for realm %s", sms.gatewayId(), realm.getName());
                throw new DeliveryFailedException(e.getMessage(), e);
            }
        } else if (message instanceof RenderedMessage.Mail mail) {
            try {
                session.getProvider(EmailSenderProvider.class)
                        .send(realm.getSmtpConfig(), mail.to(), mail.subject(), mail.textBody(), mail.htmlBody());
            } catch (EmailException e) {
                LOG.warnf("Mail failed for realm %s: %s", realm.getName(), e.getMessage());
                throw new DeliveryFailedException(e.getMessage(), e);
            }
        }
    }

    private SmsGateway gateway() {
        String secret = null;
        String reference = settings.smsSecretReference();
        if (reference != null) {
            try (VaultStringSecret vault = session.vault().getStringSecret(reference)) {
                secret = vault.get().orElse(null);
            }
        }
        return new SmsGateway(settings.smsUrl(), secret, settings.smsSender(), settings.smsTimeout(), settings.smsOptions());
    }

    private String message(UserModel user, String key, Object... args) {
        Locale locale = session.getContext().resolveLocale(user);
        try {
            Properties messages = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(realm, locale);
            String pattern = messages.getProperty(key, key);
            return new MessageFormat(pattern, locale).format(args);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("login theme messages unavailable", e);
        }
    }
}
