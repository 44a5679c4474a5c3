package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.code.CodeForm;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.code.SendResult;
import dev.tillit.keycloak.code.VerifyResult;
import dev.tillit.keycloak.password.PasswordRules;
import dev.tillit.keycloak.phone.PhoneUserLookup;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.common.util.Time;
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
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sign-up by email or phone, in two screens: identifier + password + consent, then the code
 * sent to that identifier. The account is created only when the code is right, so an account
 * always has a verified identifier. A taken identifier gets the same screens (its owner gets a
 * notice instead of a code), so sign-up never tells a stranger who is a customer.
 */
public class TillitRegistration implements FormStepAuthenticator {

    static final String PURPOSE = "register";
    static final String FORM = "tillit-register.ftl";

    private static final String NOTE = "tillit.reg.";
    private static final String STEP = NOTE + "step";
    private static final String CHANNEL = NOTE + "channel";
    private static final String IDENTIFIER = NOTE + "identifier";
    private static final String TAKEN = NOTE + "taken";
    private static final String PASSWORD_DATA = NOTE + "pwd.data";
    private static final String PASSWORD_SECRET = NOTE + "pwd.secret";
    private static final String TERMS = NOTE + "terms";
    private static final String PRIVACY = NOTE + "privacy";
    private static final String STEP_CODE = "code";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        clear(context.getAuthenticationSession());
        context.challenge(form(context, null, List.of()));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean onCodeStep = STEP_CODE.equals(authSession.getAuthNote(STEP));
        if (form.containsKey("restart") || !onCodeStep && form.containsKey("code")) {
            authenticate(context);
        } else if (onCodeStep && form.containsKey("resend")) {
            resend(context);
        } else if (onCodeStep) {
            verify(context, form.getFirst("code"));
        } else {
            submitForm(context, form);
        }
    }

    private void submitForm(AuthenticationFlowContext context, MultivaluedMap<String, String> form) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        OneTimeCodes codes = new OneTimeCodes(session, context.getAuthenticationSession(), context.getEvent());
        TillitSettings settings = codes.settings();

        String typed = form.getFirst("identifier");
        String password = form.getFirst("password");
        Identifier identifier = Identifier.parse(typed, settings.phoneDefaultRegion());
        List<FormMessage> errors = new ArrayList<>();
        if (!identifier.valid()) {
            errors.add(new FormMessage("identifier", identifier.error()));
        }
        if (password == null || password.isEmpty()) {
            errors.add(new FormMessage("password", "missingPasswordMessage"));
        } else {
            PolicyError policy = session.getProvider(PasswordPolicyManagerProvider.class)
                    .validate(identifier.valid() ? identifier.value() : typed == null ? "" : typed, password);
            if (policy != null) {
                errors.add(new FormMessage("password", policy.getMessage(), policy.getParameters()));
            } else if (!password.equals(form.getFirst("password-confirm"))) {
                errors.add(new FormMessage("password-confirm", "invalidPasswordConfirmMessage"));
            }
        }
        if (!"on".equals(form.getFirst("acceptTerms"))) {
            errors.add(new FormMessage("acceptTerms", "tillitTermsRequired"));
        }
        if (!"on".equals(form.getFirst("acceptPrivacy"))) {
            errors.add(new FormMessage("acceptPrivacy", "tillitPrivacyRequired"));
        }
        if (!errors.isEmpty()) {
            context.getEvent().error(Errors.INVALID_REGISTRATION);
            context.challenge(form(context, form, errors));
            return;
        }

        UserModel owner = findOwner(session, realm, identifier);
        SendResult sent = owner == null
                ? codes.send(PURPOSE, identifier.channel(), identifier.value(), null)
                : codes.sendNoticeInsteadOfCode(PURPOSE, identifier.channel(), identifier.value(), owner,
                        "tillitSmsSignupNotice", "tillitSignupNoticeSubject", "tillit-signup-notice.ftl");
        if (sent != SendResult.SENT) {
            context.challenge(form(context, form, List.of(new FormMessage("identifier", sent.messageKey(),
                    codes.secondsUntilResend(PURPOSE)))));
            return;
        }

        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        PasswordCredentialModel hashed = hash(session, realm, password);
        long now = Time.currentTime();
        authSession.setAuthNote(STEP, STEP_CODE);
        authSession.setAuthNote(CHANNEL, identifier.channel().name());
        authSession.setAuthNote(IDENTIFIER, identifier.value());
        authSession.setAuthNote(TAKEN, Boolean.toString(owner != null));
        authSession.setAuthNote(PASSWORD_DATA, hashed.getCredentialData());
        authSession.setAuthNote(PASSWORD_SECRET, hashed.getSecretData());
        authSession.setAuthNote(TERMS, settings.termsVersion() + "@" + now);
        authSession.setAuthNote(PRIVACY, settings.privacyVersion() + "@" + now);
        context.challenge(codeForm(context, codes, null, null));
    }

    private void resend(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), authSession, context.getEvent());
        CodeChannel channel = CodeChannel.valueOf(authSession.getAuthNote(CHANNEL));
        String target = authSession.getAuthNote(IDENTIFIER);
        SendResult sent;
        if (Boolean.parseBoolean(authSession.getAuthNote(TAKEN))) {
            Identifier identifier = new Identifier(channel, target, null);
            UserModel owner = findOwner(context.getSession(), context.getRealm(), identifier);
            sent = codes.sendNoticeInsteadOfCode(PURPOSE, channel, target, owner,
                    "tillitSmsSignupNotice", "tillitSignupNoticeSubject", "tillit-signup-notice.ftl");
        } else {
            sent = codes.send(PURPOSE, channel, target, null);
        }
        context.challenge(sent == SendResult.SENT
                ? codeForm(context, codes, null, "tillitCodeResent")
                : codeForm(context, codes, new FormMessage("code", sent.messageKey(), codes.secondsUntilResend(PURPOSE)), null));
    }

    private void verify(AuthenticationFlowContext context, String code) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), authSession, context.getEvent());
        VerifyResult result = codes.verify(PURPOSE, code);
        if (result != VerifyResult.VALID) {
            context.getEvent().error(Errors.INVALID_CODE);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    codeForm(context, codes, new FormMessage("code", result.messageKey()), null));
            return;
        }
        UserModel user = createUser(context);
        if (user == null) {
            // Someone claimed the identifier between the two screens: behave as for a taken one.
            context.getEvent().error(Errors.INVALID_CODE);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    codeForm(context, codes, new FormMessage("code", VerifyResult.INVALID.messageKey()), null));
            return;
        }
        clear(authSession);
        context.getEvent().event(EventType.REGISTER).user(user)
                .detail(Details.REGISTER_METHOD, "form")
                .detail(TillitEvents.DETAIL, TillitEvents.REGISTERED);
        context.setUser(user);
        context.success();
    }

    /** Creates the account from the notes, or returns null when the identifier is (now) taken. */
    private UserModel createUser(AuthenticationFlowContext context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (Boolean.parseBoolean(authSession.getAuthNote(TAKEN))) {
            return null;
        }
        CodeChannel channel = CodeChannel.valueOf(authSession.getAuthNote(CHANNEL));
        String value = authSession.getAuthNote(IDENTIFIER);
        Identifier identifier = new Identifier(channel, value, null);
        // Cluster-wide claim so two sign-ups racing for one number cannot both win.
        if (channel == CodeChannel.SMS
                && !session.singleUseObjects().putIfAbsent("tillit:phone-claim:" + realm.getId() + ":" + value, 30)) {
            return null;
        }
        if (findOwner(session, realm, identifier) != null) {
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
        org.keycloak.credential.CredentialModel stored = new org.keycloak.credential.CredentialModel();
        stored.setType(PasswordCredentialModel.TYPE);
        stored.setCredentialData(authSession.getAuthNote(PASSWORD_DATA));
        stored.setSecretData(authSession.getAuthNote(PASSWORD_SECRET));
        stored.setCreatedDate(Time.currentTimeMillis());
        user.credentialManager().createStoredCredential(PasswordCredentialModel.createFromCredentialModel(stored));
        return user;
    }

    private static UserModel findOwner(KeycloakSession session, RealmModel realm, Identifier identifier) {
        return identifier.channel() == CodeChannel.EMAIL
                ? session.users().getUserByEmail(realm, identifier.value())
                : PhoneUserLookup.findByPhone(session, realm, identifier.value());
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
    private Response form(AuthenticationFlowContext context, MultivaluedMap<String, String> submitted, List<FormMessage> errors) {
        TillitSettings settings = TillitSettings.of(context.getRealm());
        String identifier = submitted == null ? null : submitted.getFirst("identifier");
        LoginFormsProvider forms = PasswordRules.describe(context.form(), context.getRealm())
                .setAttribute("identifier", identifier == null ? "" : identifier)
                .setAttribute("acceptTerms", submitted != null && "on".equals(submitted.getFirst("acceptTerms")))
                .setAttribute("acceptPrivacy", submitted != null && "on".equals(submitted.getFirst("acceptPrivacy")))
                .setAttribute("termsUrl", settings.termsUrl())
                .setAttribute("privacyUrl", settings.privacyUrl());
        if (!errors.isEmpty()) {
            forms.setErrors(errors);
        }
        return forms.createForm(FORM);
    }

    private Response codeForm(AuthenticationFlowContext context, OneTimeCodes codes, FormMessage error, String info) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        CodeChannel channel = CodeChannel.valueOf(authSession.getAuthNote(CHANNEL));
        return CodeForm.render(context.form(), codes, PURPOSE, channel,
                Masking.recipient(channel, authSession.getAuthNote(IDENTIFIER)), null, error, info);
    }

    private static void clear(AuthenticationSessionModel authSession) {
        for (String note : new String[] {STEP, CHANNEL, IDENTIFIER, TAKEN, PASSWORD_DATA, PASSWORD_SECRET, TERMS, PRIVACY}) {
            authSession.removeAuthNote(note);
        }
    }
}
