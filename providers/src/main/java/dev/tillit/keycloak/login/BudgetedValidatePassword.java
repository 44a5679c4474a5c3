package dev.tillit.keycloak.login;

import dev.tillit.keycloak.code.PasswordFailureBudget;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.ValidatePassword;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Direct grant: Keycloak's password check ("Password"), which hands the client address's budget slot
 * taken by {@link IdentifierDirectGrant} back when the password is right, so only failed checks count
 * against the address. Replaces {@code direct-grant-validate-password} in the direct grant flow.
 */
public class BudgetedValidatePassword extends ValidatePassword {

    public static final String ID = "tillit-direct-grant-password";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        super.authenticate(context);
        if ("true".equals(context.getAuthenticationSession().getAuthNote(AuthenticationManager.PASSWORD_VALIDATED))) {
            PasswordFailureBudget.giveBack(context.getSession(),
                    context.getAuthenticationSession().getAuthNote(IdentifierDirectGrant.BUDGET_SLOT));
            context.getAuthenticationSession().removeAuthNote(IdentifierDirectGrant.BUDGET_SLOT);
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: password (direct grant)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's direct-grant password check; a right password costs the client address nothing of its budget"
                + " of failed password checks (see \"Tillit: email or phone (direct grant)\").";
    }
}
