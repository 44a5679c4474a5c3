package dev.tillit.keycloak.login;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Keycloak's username/password form, with one identifier field that also takes a phone number.
 * Everything else — brute-force counting, the error message, timing for unknown users — is
 * Keycloak's own, because the identifier is resolved before its checks run.
 */
public class IdentifierPasswordForm extends UsernamePasswordForm {

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
