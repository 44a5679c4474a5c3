package dev.tillit.keycloak.password;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.requiredactions.UpdatePassword;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's own "Update password" required action (also {@code kc_action=UPDATE_PASSWORD}), with
 * the realm's rules handed to the page as the same live checklist sign-up and reset show. It
 * takes over Keycloak's factory by id (a higher {@link #order()} wins for the same id); everything
 * else — checks, events, "sign out other devices" — is Keycloak's.
 * <p>
 * Works because a request's {@code LoginFormsProvider} is one instance per session, so the
 * attribute set here is still there when Keycloak renders the page.
 */
public class UpdatePasswordWithRules extends UpdatePassword {

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        PasswordRules.describe(context.form(), context.getRealm());
        super.requiredActionChallenge(context);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        PasswordRules.describe(context.form(), context.getRealm());
        super.processAction(context);
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public int order() {
        return 10;
    }
}
