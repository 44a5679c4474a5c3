package dev.tillit.keycloak.login;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.ValidateUsername;

/**
 * Direct grant (the mobile app): the {@code username} parameter may be an email, a username or a
 * verified phone number. Replaces "Username Validation" in the direct grant flow; like Keycloak's
 * direct-grant authenticators it is its own factory.
 */
public class IdentifierDirectGrant extends ValidateUsername {

    public static final String ID = "tillit-direct-grant-identifier";

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
        return "Validates the username parameter of a direct grant, which may be an email, a username or a verified phone number.";
    }
}
