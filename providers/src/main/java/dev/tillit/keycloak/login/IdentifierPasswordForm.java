package dev.tillit.keycloak.login;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Keycloak's username/password form, with one identifier field that also takes a phone number.
 * Everything else — brute-force counting, the error message, timing for unknown users — is
 * Keycloak's own, because the identifier is resolved before its checks run.
 * <p>
 * Passkey autofill (WebAuthn conditional UI) is Keycloak's own too. Built with the session, the form
 * carries Keycloak's {@code WebAuthnConditionalUIAuthenticator}: when the realm's passwordless policy
 * has passkeys on, it puts a challenge and the {@code webauthn} form fields on this page (keycloak.v2's
 * {@code login.ftl} renders them with its {@code passkeys.ftl} script, whose username field then says
 * {@code autocomplete="username webauthn"}) and verifies an assertion posted back here. A passkey signs
 * the account in without its password; whether a second factor follows is the flow's business.
 */
public class IdentifierPasswordForm extends UsernamePasswordForm {

    public IdentifierPasswordForm(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean validateForm(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
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
}
