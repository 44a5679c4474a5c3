package dev.tillit.keycloak.login;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.code.PasswordFailureBudget;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.directgrant.ValidateUsername;
import org.keycloak.events.Details;

/**
 * Direct grant (the mobile app): the {@code username} parameter may be an email, a username or a
 * verified phone number. Replaces "Username Validation" in the direct grant flow; like Keycloak's
 * direct-grant authenticators it is its own factory.
 * <p>
 * It also spends the client address's budget of failed password checks ({@link PasswordFailureBudget},
 * setting {@code passwordGrantFailuresPerIpPerHour}): one slot is taken before the account is looked
 * up; an unknown identifier keeps it (a failed guess), {@link BudgetedValidatePassword} hands it back
 * when the password is right. With the budget spent the grant answers HTTP 429 "too many attempts" at
 * once: no account looked up, no password checked, nothing counted against any account.
 */
public class IdentifierDirectGrant extends ValidateUsername {

    public static final String ID = "tillit-direct-grant-identifier";

    /** Auth-session note: the budget slot this request took (see {@link PasswordFailureBudget#take}). */
    static final String BUDGET_SLOT = "tillit.passwordBudgetSlot";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        String slot = PasswordFailureBudget.take(context.getSession(), context.getRealm());
        if (slot == null) {
            context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.PASSWORD_ATTEMPTS_EXHAUSTED)
                    .detail(Details.REASON, "client address " + PasswordFailureBudget.network(context.getSession()))
                    .error(TillitEvents.PASSWORD_ATTEMPTS_EXHAUSTED);
            context.failure(AuthenticationFlowError.ACCESS_DENIED, errorResponse(429, "invalid_grant",
                    "Too many attempts from this address: try again later."));
            return;
        }
        context.getAuthenticationSession().setAuthNote(BUDGET_SLOT, slot);
        super.authenticate(context);
    }

    @Override
    protected String retrieveUsername(AuthenticationFlowContext context) {
        return IdentifierResolver.toLoginName(context.getSession(), context.getRealm(), super.retrieveUsername(context));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: email or phone (direct grant)";
    }

    @Override
    public String getHelpText() {
        return "Validates the username parameter of a direct grant, which may be an email, a username or a verified phone number."
                + " Refuses at once (HTTP 429) a client address that used its budget of failed password checks (Tillit tab);"
                + " use it with \"Tillit: password (direct grant)\".";
    }
}
