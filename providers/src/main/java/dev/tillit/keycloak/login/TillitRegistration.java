package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.CodeStepAuthenticator;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.password.PasswordRules;
import dev.tillit.keycloak.phone.PhoneUserLookup;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sign-up by email or phone, in two screens: identifier + password + consent, then the code
 * sent to that identifier. The account is created only when the code is right, so an account
 * always has a verified identifier. A taken identifier gets the same screens (its owner gets a
 * notice instead of a code), so sign-up never tells a stranger who is a customer.
 */
public class TillitRegistration extends CodeStepAuthenticator {

    static final String PURPOSE = "register";
    static final String FORM = "tillit-register.ftl";
    static final OneTimeCodes.Notice TAKEN_NOTICE =
            new OneTimeCodes.Notice(TillitMessages.SMS_SIGNUP_NOTICE, TillitMessages.SIGNUP_NOTICE_SUBJECT, "tillit-signup-notice.ftl");

    private static final String NOTE = "tillit.reg.";
    private static final String PASSWORD_DATA = NOTE + "pwd.data";
    private static final String PASSWORD_SECRET = NOTE + "pwd.secret";
    private static final String TERMS = NOTE + "terms";
    private static final String PRIVACY = NOTE + "privacy";

    @Override
    protected String purpose() {
        return PURPOSE;
    }

    @Override
    protected CodeRecipient identify(AuthenticationFlowContext context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        TillitSettings settings = codes.settings();

        String typed = form.getFirst(FIELD_IDENTIFIER);
        String password = form.getFirst("password");
        Identifier identifier = Identifier.parse(typed, settings.phoneDefaultRegion());
        List<FormMessage> errors = new ArrayList<>();
        if (!identifier.valid()) {
            errors.add(new FormMessage(FIELD_IDENTIFIER, identifier.error()));
        }
        if (password == null || password.isEmpty()) {
            errors.add(new FormMessage("password", Messages.MISSING_PASSWORD));
        } else {
            PolicyError policy = session.getProvider(PasswordPolicyManagerProvider.class)
                    .validate(identifier.valid() ? identifier.value() : typed == null ? "" : typed, password);
            if (policy != null) {
                errors.add(new FormMessage("password", policy.getMessage(), policy.getParameters()));
            } else if (!password.equals(form.getFirst("password-confirm"))) {
                errors.add(new FormMessage("password-confirm", Messages.INVALID_PASSWORD_CONFIRM));
            }
        }
        errors.addAll(Consent.missing(form));
        if (!errors.isEmpty()) {
            context.getEvent().error(Errors.INVALID_REGISTRATION);
            context.challenge(firstScreen(context, form, errors));
            return null;
        }

        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        PasswordCredentialModel hashed = hash(session, realm, password);
        long now = Time.currentTime();
        authSession.setAuthNote(PASSWORD_DATA, hashed.getCredentialData());
        authSession.setAuthNote(PASSWORD_SECRET, hashed.getSecretData());
        authSession.setAuthNote(TERMS, Consent.terms(settings, now));
        authSession.setAuthNote(PRIVACY, Consent.privacy(settings, now));

        String shown = Masking.recipient(identifier.channel(), identifier.value());
        UserModel owner = findOwner(session, realm, identifier.channel(), identifier.value());
        return owner == null
                ? CodeRecipient.newIdentifier(identifier.channel(), identifier.value(), shown)
                : CodeRecipient.takenIdentifier(identifier.channel(), identifier.value(), owner.getId(), shown);
    }

    @Override
    protected OneTimeCodes.Notice notice() {
        return TAKEN_NOTICE;
    }

    @Override
    protected void verified(AuthenticationFlowContext context, CodeRecipient recipient) {
        UserModel user = createUser(context, recipient);
        if (user == null) {
            // Someone claimed the identifier between the two screens: behave as for a taken one.
            failLikeAWrongCode(context, recipient);
            return;
        }
        forget(context.getAuthenticationSession());
        context.getEvent().event(EventType.REGISTER).user(user)
                .detail(Details.REGISTER_METHOD, "form")
                .detail(TillitEvents.DETAIL, TillitEvents.REGISTERED);
        context.setUser(user);
        context.success();
    }

    /** Creates the account from the notes, or returns null when the identifier is (now) taken. */
    private UserModel createUser(AuthenticationFlowContext context, CodeRecipient recipient) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (recipient.delivery() != CodeRecipient.Delivery.CODE || authSession.getAuthNote(PASSWORD_DATA) == null) {
            return null;
        }
        CodeChannel channel = recipient.channel();
        String value = recipient.target();
        // Cluster-wide claim so two sign-ups racing for one identifier cannot both win.
        if (!session.singleUseObjects().putIfAbsent("tillit:identifier-claim:" + realm.getId() + ":" + value, 30)) {
            return null;
        }
        if (findOwner(session, realm, channel, value) != null) {
            return null;
        }
        UserModel user;
        try {
            if (channel == CodeChannel.EMAIL) {
                user = session.users().addUser(realm, value);
                user.setEmail(value);
                user.setEmailVerified(true);
            } else {
                user = session.users().addUser(realm, UsernameGenerator.forPhoneSignup());
                user.setSingleAttribute(TillitAttributes.PHONE_NUMBER, value);
                user.setSingleAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED, "true");
            }
        } catch (ModelDuplicateException e) {
            return null;
        }
        user.setEnabled(true);
        user.setSingleAttribute(TillitAttributes.TERMS_ACCEPTED, authSession.getAuthNote(TERMS));
        user.setSingleAttribute(TillitAttributes.PRIVACY_ACCEPTED, authSession.getAuthNote(PRIVACY));
        user.setSingleAttribute(TillitAttributes.KYC_LEVEL, "0");
        user.setSingleAttribute(TillitAttributes.KYC_STATUS, "none");
        Locale locale = session.getContext().resolveLocale(null);
        if (locale != null && realm.isInternationalizationEnabled()) {
            user.setSingleAttribute(UserModel.LOCALE, locale.toLanguageTag());
        }
        CredentialModel stored = new CredentialModel();
        stored.setType(PasswordCredentialModel.TYPE);
        stored.setCredentialData(authSession.getAuthNote(PASSWORD_DATA));
        stored.setSecretData(authSession.getAuthNote(PASSWORD_SECRET));
        stored.setCreatedDate(Time.currentTimeMillis());
        user.credentialManager().createStoredCredential(PasswordCredentialModel.createFromCredentialModel(stored));
        return user;
    }

    private static UserModel findOwner(KeycloakSession session, RealmModel realm, CodeChannel channel, String value) {
        return channel == CodeChannel.EMAIL
                ? session.users().getUserByEmail(realm, value)
                : PhoneUserLookup.findByPhone(session, realm, value);
    }

    /** Hashes now so the clear password never rests in the auth session between the two screens. */
    private static PasswordCredentialModel hash(KeycloakSession session, RealmModel realm, String password) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordHashProvider provider = policy.getHashAlgorithm() == null ? null
                : session.getProvider(PasswordHashProvider.class, policy.getHashAlgorithm());
        if (provider == null) {
            provider = session.getProvider(PasswordHashProvider.class);
        }
        return provider.encodedCredential(password, policy.getHashIterations());
    }

    /** The sign-up form; {@code submitted} (may be null) refills what was typed — never the password. */
    @Override
    protected Response firstScreen(AuthenticationFlowContext context, MultivaluedMap<String, String> submitted,
                                   List<FormMessage> errors) {
        TillitSettings settings = TillitSettings.of(context.getRealm());
        String identifier = submitted == null ? null : submitted.getFirst(FIELD_IDENTIFIER);
        LoginFormsProvider forms = Consent.show(PasswordRules.describe(context.form(), context.getRealm()), settings, submitted)
                .setAttribute("identifier", identifier == null ? "" : identifier);
        if (!errors.isEmpty()) {
            forms.setErrors(errors);
        }
        return forms.createForm(FORM);
    }

    @Override
    protected void forget(AuthenticationSessionModel authSession) {
        for (String note : new String[] {PASSWORD_DATA, PASSWORD_SECRET, TERMS, PRIVACY}) {
            authSession.removeAuthNote(note);
        }
    }
}
