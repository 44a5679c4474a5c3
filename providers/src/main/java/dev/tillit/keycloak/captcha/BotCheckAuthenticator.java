package dev.tillit.keycloak.captcha;

import java.util.Map;

import dev.tillit.keycloak.FormStepAuthenticator;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.services.resources.LoginActionsService;

/**
 * The bot check ("verification procedure") as a flow step of its own: placed before anything that
 * sends a code (sign-up, reset), it shows a page that proves a person is at the keyboard, by
 * Tillit's proof-of-work or a third-party widget (setting {@code botCheckProvider}), and lets the
 * flow go on only once the server has checked the answer. Failures say "try again" on a fresh page;
 * nothing else happens, so a bot learns nothing and sends nothing.
 * <p>
 * The sign-in form carries the same check on its own page (see {@code IdentifierPasswordForm});
 * a realm that still has this step after the form in its browser flow (the order before Tillit put
 * the check on the form) is not asked twice: once the form's check passed, this step lets the sign-in on.
 */
public class BotCheckAuthenticator implements FormStepAuthenticator {

    static final String TEMPLATE = "tillit-bot-check.ftl";

    /** Auth-session note: the bot check passed on the sign-in form in this sign-in. */
    public static final String PASSED_AT_SIGN_IN = "tillit.botCheck.passedAtSignIn";

    private final BotCheck botCheck;

    public BotCheckAuthenticator(SiteVerifier siteVerifier) {
        this.botCheck = new BotCheck(siteVerifier);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (LoginActionsService.AUTHENTICATE_PATH.equals(context.getFlowPath())
                && context.getAuthenticationSession().getAuthNote(PASSED_AT_SIGN_IN) != null) {
            context.success();
            return;
        }
        context.challenge(page(context.form(), botCheck.page(context.getSession(), context.getRealm(),
                context.getAuthenticationSession(), recaptchaAction(context)), null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        BotCheck.Verdict verdict = botCheck.judge(context.getSession(), context.getRealm(), context.getAuthenticationSession(),
                context.getHttpRequest().getDecodedFormParameters(), context.getConnection().getRemoteAddr(),
                recaptchaAction(context));
        EventBuilder event = BotCheck.event(context.getEvent(), verdict);
        if (context.getUser() != null) {
            event.user(context.getUser());
        }
        BotCheck.emit(event, verdict);
        if (verdict.passed()) {
            context.success();
            return;
        }
        context.challenge(page(context.form(), botCheck.page(context.getSession(), context.getRealm(),
                context.getAuthenticationSession(), recaptchaAction(context)), verdict.message()));
    }

    /** reCAPTCHA v3's action: which flow the page belongs to, e.g. {@code tillit_registration}. */
    static String recaptchaAction(AuthenticationFlowContext context) {
        String path = context.getFlowPath() == null ? "authenticate" : context.getFlowPath();
        return "tillit_" + path.replaceAll("[^A-Za-z0-9]", "_");
    }

    /** The bot-check page ({@value #TEMPLATE}) for {@code botCheck} (see {@link BotCheck#page}), with an error or none. */
    public static jakarta.ws.rs.core.Response page(LoginFormsProvider forms, Map<String, Object> botCheck, String error) {
        forms.setAttribute("botCheck", botCheck);
        if (error != null) {
            forms.setError(error);
        }
        return forms.createForm(TEMPLATE);
    }
}
