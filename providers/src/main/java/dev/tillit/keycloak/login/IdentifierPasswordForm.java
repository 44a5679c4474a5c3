package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.captcha.BotCheck;
import dev.tillit.keycloak.captcha.BotCheckAuthenticator;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's username/password form, with one identifier field that also takes a phone number, and
 * the bot check on the same page, judged before any password.
 * Everything else — brute-force counting, the error message, timing for unknown users — is
 * Keycloak's own, because the identifier is resolved before its checks run.
 * <p>
 * <b>Bot check first.</b> The page carries the realm's bot check (attribute {@value #PAGE_ATTRIBUTE},
 * rendered by the theme's {@code template.ftl}): the proof-of-work is solved by a Web Worker while the
 * person types, a vendor widget sits beside the form; the answer is posted with the credentials. The
 * answer is judged first ({@link BotCheck}: single use across the cluster). Until it passes, no account
 * is looked up and no password is checked — no failure counted, no {@code LOGIN_ERROR} — and every
 * post, whatever its password, gets the same answer: the separate bot-check page (the password is
 * dropped). Once that page is passed the form comes back and the next password post is judged; this is
 * also how a sign-in sent before the in-page check finished, or whose check failed, goes on. Each
 * password judged costs one passed check.
 * <p>
 * Passkey autofill (WebAuthn conditional UI) is Keycloak's own too. Built with the session, the form
 * carries Keycloak's {@code WebAuthnConditionalUIAuthenticator}: when the realm's passwordless policy
 * has passkeys on, it puts a challenge and the {@code webauthn} form fields on this page (keycloak.v2's
 * {@code login.ftl} renders them with its {@code passkeys.ftl} script, whose username field then says
 * {@code autocomplete="username webauthn"}) and verifies an assertion posted back here. A passkey signs
 * the account in without its password (nothing to stuff, so no bot check); whether a second factor
 * follows is the flow's business.
 */
public class IdentifierPasswordForm extends UsernamePasswordForm {

    /** The login page's attribute carrying the bot check (see {@link BotCheck#page}). */
    public static final String PAGE_ATTRIBUTE = "signInBotCheck";
    /** reCAPTCHA v3's action on the sign-in page. */
    static final String RECAPTCHA_ACTION = "tillit_sign_in";
    /** Auth-session note: the separate bot-check page was passed; the next password post may be judged. */
    static final String PASSED_ON_PAGE = "tillit.botCheck.passedOnPage";
    /** Auth-session note: what the person typed as identifier before the separate page (never the password). */
    static final String TYPED_IDENTIFIER = "tillit.botCheck.identifier";

    private final BotCheck botCheck;

    public IdentifierPasswordForm(KeycloakSession session, BotCheck botCheck) {
        super(session);
        this.botCheck = botCheck;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        carryBotCheck(context);
        super.authenticate(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        carryBotCheck(context);
        super.action(context);
    }

    /** Every rendering of the login page in this request carries a fresh challenge (or the widget). */
    private void carryBotCheck(AuthenticationFlowContext context) {
        if (botCheck != null) {
            context.form().setAttribute(PAGE_ATTRIBUTE, botCheck.page(context.getSession(), context.getRealm(),
                    context.getAuthenticationSession(), RECAPTCHA_ACTION));
        }
    }

    @Override
    protected boolean validateForm(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        if (botCheck != null && !botCheckPassed(context, formData)) {
            return false;
        }
        String typed = formData.getFirst(AuthenticationManager.FORM_USERNAME);
        MultivaluedMap<String, String> resolved = new MultivaluedHashMap<>(formData);
        if (typed != null) {
            resolved.putSingle(AuthenticationManager.FORM_USERNAME,
                    IdentifierResolver.toLoginName(context.getSession(), context.getRealm(), typed));
        }
        boolean valid = super.validateForm(context, resolved);
        if (typed != null) {
            // Later pages (and this one on failure) show what the person typed, never the
            // internal username a phone number resolved to.
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, typed.trim());
        }
        return valid;
    }

    /**
     * True when the password of this post may be judged. Otherwise the answer is already set: the
     * bot-check page (for a password post, whatever the password), or the form again once that page passed.
     */
    private boolean botCheckPassed(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean credentials = formData.containsKey(CredentialRepresentation.PASSWORD);
        if (credentials && authSession.getAuthNote(PASSED_ON_PAGE) != null) {
            authSession.removeAuthNote(PASSED_ON_PAGE); // one passed check, one password judged
            authSession.removeAuthNote(TYPED_IDENTIFIER);
            return true;
        }
        BotCheck.Verdict verdict = botCheck.judge(context.getSession(), context.getRealm(), authSession, formData,
                context.getConnection().getRemoteAddr(), RECAPTCHA_ACTION);
        // No user on the event: nothing about the account, or its password, is known or told yet.
        BotCheck.emit(BotCheck.event(context.getEvent(), verdict), verdict);
        if (verdict.passed()) {
            authSession.setAuthNote(BotCheckAuthenticator.PASSED_AT_SIGN_IN, "true");
        }
        if (credentials) {
            if (verdict.passed()) {
                return true;
            }
            String typed = formData.getFirst(AuthenticationManager.FORM_USERNAME);
            if (typed != null && !typed.isBlank()) {
                authSession.setAuthNote(TYPED_IDENTIFIER, typed.trim().length() > 255 ? typed.trim().substring(0, 255) : typed.trim());
            }
            // An unanswered post (no script, or sent before the work was done) is not an error to show.
            context.challenge(separatePage(context, BotCheck.answered(context.getRealm(), formData) ? verdict.message() : null));
            return false;
        }
        if (!verdict.passed()) {
            context.challenge(separatePage(context, verdict.message()));
            return false;
        }
        // The separate page passed: the form again, identifier filled in, to type the password once more.
        authSession.setAuthNote(PASSED_ON_PAGE, "true");
        MultivaluedMap<String, String> again = new MultivaluedHashMap<>();
        String typed = authSession.getAuthNote(TYPED_IDENTIFIER);
        if (typed != null) {
            again.putSingle(AuthenticationManager.FORM_USERNAME, typed);
        }
        context.form().setInfo(TillitMessages.BOT_CHECK_PASSED_SIGN_IN);
        context.challenge(challenge(context, again));
        return false;
    }

    private jakarta.ws.rs.core.Response separatePage(AuthenticationFlowContext context, String error) {
        return BotCheckAuthenticator.page(context.form(), botCheck.page(context.getSession(), context.getRealm(),
                context.getAuthenticationSession(), RECAPTCHA_ACTION), error);
    }
}
