package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.captcha.BotCheck;
import dev.tillit.keycloak.login.IdentifierPasswordForm;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;

/**
 * "Link existing account": our email-or-phone + password form (brute-force counting and the one
 * message for unknown identifiers and wrong passwords are Keycloak's), with the provider named
 * above it and no sign-up link. The account is whatever the person proves here, never one guessed
 * from the provider's email.
 */
public class LinkAccountPasswordForm extends IdentifierPasswordForm {

    /**
     * With the sign-in form's bot check: a fresh provider identity is free to make, so without it this form
     * would be a way to try passwords that skips the check.
     */
    public LinkAccountPasswordForm(KeycloakSession session, BotCheck botCheck) {
        super(session, botCheck);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        // Whatever an earlier step may have set, the account to link is the one proved on this form.
        context.clearUser();
        super.authenticate(context);
    }

    @Override
    protected Response challenge(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        return decorate(context, context.form().setFormData(formData)).createLoginUsernamePassword();
    }

    @Override
    protected Response challenge(AuthenticationFlowContext context, String error, String field) {
        decorate(context, context.form());
        return super.challenge(context, error, field);
    }

    private static LoginFormsProvider decorate(AuthenticationFlowContext context, LoginFormsProvider form) {
        SerializedBrokeredIdentityContext serialized = SerializedBrokeredIdentityContext.readFromAuthenticationSession(
                context.getAuthenticationSession(), AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE);
        if (serialized == null) {
            throw new AuthenticationFlowException("Not in a first sign-in with an identity provider", AuthenticationFlowError.IDENTITY_PROVIDER_ERROR);
        }
        IdentityProviderModel idp = context.getSession().identityProviders().getByAlias(serialized.getIdentityProviderId());
        return form.setAttribute(LoginFormsProvider.REGISTRATION_DISABLED, true)
                .setAttribute("tillitLinking", true)
                .setInfo(TillitMessages.BROKER_LINK_SIGN_IN, FirstLoginChoice.displayName(idp));
    }
}
