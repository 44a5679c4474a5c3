package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.TillitAttributes;
import java.util.List;
import java.util.Locale;

import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.code.CodeForm;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.code.SendResult;
import dev.tillit.keycloak.code.VerifyResult;
import dev.tillit.keycloak.login.FormStepAuthenticator;
import dev.tillit.keycloak.login.Identifier;
import dev.tillit.keycloak.login.IdentifierResolver;
import dev.tillit.keycloak.phone.PhoneNumbers;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "Forgot your password?": the person gives an email or phone number (any spelling sign-in
 * accepts) and proves they hold it with a one-time code. The answer — page, wording, limits and
 * time taken — is the same whether or not an account exists; only a real account's holder can
 * ever enter a working code, and only then is the user known to the flow.
 */
public class ResetIdentify implements FormStepAuthenticator {

    static final String PURPOSE = "reset";
    private static final String NOTE = "tillit.reset.";
    private static final String STEP = NOTE + "step";
    private static final String USER = NOTE + "user";
    private static final String CHANNEL = NOTE + "channel";
    private static final String TARGET = NOTE + "target";
    private static final String SHOWN = NOTE + "shown";
    private static final String TYPED = NOTE + "typed";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        clear(context.getAuthenticationSession());
        String attempted = context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        context.challenge(identifyForm(context, attempted, null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        boolean onCodeStep = "code".equals(context.getAuthenticationSession().getAuthNote(STEP));
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), context.getAuthenticationSession(), context.getEvent());
        if (form.containsKey("restart")) {
            authenticate(context);
        } else if (onCodeStep && form.containsKey("resend")) {
            SendResult sent = send(context, codes);
            context.challenge(codeForm(context, codes, sent == SendResult.SENT || sent == SendResult.DELIVERY_FAILED
                    ? null : new FormMessage("code", sent.messageKey(), codes.secondsUntilResend(PURPOSE)),
                    sent == SendResult.SENT ? "tillitCodeResent" : null));
        } else if (onCodeStep) {
            verify(context, codes, form.getFirst("code"));
        } else {
            identify(context, codes, form.getFirst("identifier"));
        }
    }

    private void identify(AuthenticationFlowContext context, OneTimeCodes codes, String typed) {
        long started = System.nanoTime();
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String trimmed = typed == null ? "" : typed.trim();
        Identifier identifier = Identifier.parse(trimmed, codes.settings().phoneDefaultRegion());
        boolean looksLikeEmailOrPhone = trimmed.contains("@") || PhoneNumbers.looksLikePhone(trimmed);
        if (trimmed.isEmpty() || looksLikeEmailOrPhone && !identifier.valid()) {
            // About the input's form only, never about accounts.
            context.challenge(identifyForm(context, trimmed, new FormMessage("identifier",
                    trimmed.isEmpty() ? "tillitIdentifierRequired" : identifier.error())));
            return;
        }
        UserModel user = KeycloakModelUtils.findUserByNameOrEmail(session, realm,
                IdentifierResolver.toLoginName(session, realm, trimmed));
        CodeChannel channel;
        String target;
        if (identifier.valid()) {
            channel = identifier.channel();
            target = identifier.value();
        } else if (user != null && (user.getEmail() != null || user.getFirstAttribute(TillitAttributes.PHONE_NUMBER) == null)) {
            channel = CodeChannel.EMAIL; // a username: the code goes to the account's email
            target = user.getEmail();
        } else if (user != null) {
            channel = CodeChannel.SMS;
            target = user.getFirstAttribute(TillitAttributes.PHONE_NUMBER);
        } else {
            channel = CodeChannel.EMAIL;
            target = null;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(CHANNEL, channel.name());
        authSession.setAuthNote(TARGET, target == null ? trimmed : target);
        authSession.setAuthNote(TYPED, trimmed);
        // What the page repeats back: what was typed (a number masked), never where a username's code went.
        authSession.setAuthNote(SHOWN, identifier.valid() ? Masking.recipient(channel, identifier.value()) : trimmed);
        if (user != null && user.isEnabled() && target != null) {
            authSession.setAuthNote(USER, user.getId());
        } else {
            authSession.removeAuthNote(USER);
        }
        SendResult sent = send(context, codes);
        ResponseTimeFloor.await(started, codes.settings().resetResponseFloor());
        if (sent == SendResult.COUNTRY_NOT_ALLOWED || sent == SendResult.LIMITED) {
            context.challenge(identifyForm(context, trimmed, new FormMessage("identifier", sent.messageKey())));
            return;
        }
        authSession.setAuthNote(STEP, "code");
        context.challenge(codeForm(context, codes, null, null));
    }

    /** Real code for a real account, the same motions without delivery for anything else. */
    private SendResult send(AuthenticationFlowContext context, OneTimeCodes codes) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        CodeChannel channel = CodeChannel.valueOf(authSession.getAuthNote(CHANNEL));
        String target = authSession.getAuthNote(TARGET);
        String userId = authSession.getAuthNote(USER);
        UserModel user = userId == null ? null : context.getSession().users().getUserById(context.getRealm(), userId);
        return user != null
                ? codes.send(PURPOSE, channel, target, user)
                : codes.pretendSend(PURPOSE, channel, target.toLowerCase(Locale.ROOT));
    }

    private void verify(AuthenticationFlowContext context, OneTimeCodes codes, String code) {
        VerifyResult result = codes.verify(PURPOSE, code);
        String userId = context.getAuthenticationSession().getAuthNote(USER);
        UserModel user = userId == null ? null : context.getSession().users().getUserById(context.getRealm(), userId);
        if (result != VerifyResult.VALID || user == null) {
            context.getEvent().error(Errors.INVALID_CODE);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    codeForm(context, codes, new FormMessage("code", result.messageKey()), null));
            return;
        }
        // Later pages show what the person typed (not an internal username) above the form.
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME,
                context.getAuthenticationSession().getAuthNote(TYPED));
        clear(context.getAuthenticationSession());
        context.getEvent().user(user);
        context.setUser(user);
        context.success();
    }

    private Response identifyForm(AuthenticationFlowContext context, String identifier, FormMessage error) {
        LoginFormsProvider forms = context.form().setAttribute("identifier", identifier == null ? "" : identifier);
        if (error != null) {
            forms.setErrors(List.of(error));
        }
        return forms.createForm("tillit-reset-identify.ftl");
    }

    private Response codeForm(AuthenticationFlowContext context, OneTimeCodes codes, FormMessage error, String info) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        return CodeForm.render(context.form(), codes, PURPOSE, CodeChannel.valueOf(authSession.getAuthNote(CHANNEL)),
                authSession.getAuthNote(SHOWN), "tillitResetCodeSent", error, info);
    }

    private static void clear(AuthenticationSessionModel authSession) {
        for (String note : new String[] {STEP, USER, CHANNEL, TARGET, SHOWN, TYPED}) {
            authSession.removeAuthNote(note);
        }
    }
}
