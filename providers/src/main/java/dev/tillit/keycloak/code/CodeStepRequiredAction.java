package dev.tillit.keycloak.code;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A code step that Keycloak runs as a required action (setting up an SMS or email second factor:
 * the number or address is proved by a code before it is stored): {@link CodeStep}'s machine on
 * Keycloak's {@link RequiredActionContext}. The user is signed in already, so there is no
 * brute-force detection to feed; the code engine's own attempt limits and daily budget apply.
 */
public abstract class CodeStepRequiredAction extends CodeStep<RequiredActionContext> implements RequiredActionProvider {

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        start(context);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        submit(context);
    }

    @Override
    protected final KeycloakSession session(RequiredActionContext context) {
        return context.getSession();
    }

    @Override
    protected final AuthenticationSessionModel authSession(RequiredActionContext context) {
        return context.getAuthenticationSession();
    }

    @Override
    protected final EventBuilder event(RequiredActionContext context) {
        return context.getEvent();
    }

    @Override
    protected final MultivaluedMap<String, String> submitted(RequiredActionContext context) {
        return context.getHttpRequest().getDecodedFormParameters();
    }

    @Override
    protected final LoginFormsProvider forms(RequiredActionContext context) {
        return context.form();
    }

    @Override
    protected final void show(RequiredActionContext context, Response page) {
        context.challenge(page);
    }

    @Override
    protected final void showAfterWrongCode(RequiredActionContext context, Response page) {
        context.challenge(page);
    }

    @Override
    public void close() {
    }
}
