package dev.tillit.keycloak.code;

import dev.tillit.keycloak.FormStepAuthenticator;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A code step in an authentication flow (sign-up, password reset, the SMS and email second
 * factors): {@link CodeStep}'s machine on Keycloak's {@link AuthenticationFlowContext}. A wrong
 * code is a {@code failureChallenge}. Note that Keycloak 26.7 hands such failures to its
 * brute-force detection only for steps whose reference category is {@code password},
 * {@code otp} or {@code recovery-authn-codes}; steps that must count (second factors) say so
 * themselves.
 */
public abstract class CodeStepAuthenticator extends CodeStep<AuthenticationFlowContext> implements FormStepAuthenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        start(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        submit(context);
    }

    @Override
    protected final KeycloakSession session(AuthenticationFlowContext context) {
        return context.getSession();
    }

    @Override
    protected final AuthenticationSessionModel authSession(AuthenticationFlowContext context) {
        return context.getAuthenticationSession();
    }

    @Override
    protected final EventBuilder event(AuthenticationFlowContext context) {
        return context.getEvent();
    }

    @Override
    protected final MultivaluedMap<String, String> submitted(AuthenticationFlowContext context) {
        return context.getHttpRequest().getDecodedFormParameters();
    }

    @Override
    protected final LoginFormsProvider forms(AuthenticationFlowContext context) {
        return context.form();
    }

    @Override
    protected final void show(AuthenticationFlowContext context, Response page) {
        context.challenge(page);
    }

    @Override
    protected void showAfterWrongCode(AuthenticationFlowContext context, Response page) {
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page);
    }
}
