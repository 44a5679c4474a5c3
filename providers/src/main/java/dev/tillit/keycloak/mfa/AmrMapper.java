package dev.tillit.keycloak.mfa;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.events.Details;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AmrProtocolMapper;

/**
 * The {@code amr} claim: Keycloak's own AMR mapper ({@code oidc-amr-mapper}: the {@code default.reference.value}
 * of each flow step the sign-in completed), plus what Keycloak's cannot see — the methods of doors without such a
 * step ({@link SignInMethods#NOTE}), {@code fed} for a sign-in through an identity provider, and {@code mfa}
 * when more than one method was used.
 * <p>
 * A passkey that answered the identifier form ({@link SignInMethods#FORM_ANSWER_NOTE}) replaces the form's own
 * reference value {@code pwd}: no password was used. With its user verification ({@link SignInMethods#USER}, written
 * by {@link PasskeySecondFactor}) that is two methods, so {@code ["swk","user","mfa"]}.
 */
public class AmrMapper extends AmrProtocolMapper {

    public static final String ID = "tillit-amr-mapper";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: authentication methods (amr)";
    }

    @Override
    public String getHelpText() {
        return "RFC 8176 amr values: Keycloak's from each completed step's reference value, plus 'fed' for a sign-in "
                + "through an identity provider, the app's and the password grant's second factor, and 'mfa' for more than one.";
    }

    @Override
    protected List<String> getAmr(AuthenticatedClientSessionModel clientSession, RealmModel realm) {
        UserSessionModel userSession = clientSession.getUserSession();
        Set<String> values = new LinkedHashSet<>();
        if (userSession.getNote(Details.IDENTITY_PROVIDER) != null) {
            values.add(SignInMethods.FEDERATED);
        }
        values.addAll(super.getAmr(clientSession, realm));
        String formAnswer = userSession.getNote(SignInMethods.FORM_ANSWER_NOTE);
        if (formAnswer != null && !formAnswer.isBlank()) {
            values.remove(SignInMethods.PWD);
            values.add(formAnswer);
        }
        values.addAll(SignInMethods.parse(userSession.getNote(SignInMethods.NOTE)));
        values.remove(SignInMethods.MFA);
        if (values.size() > 1) {
            values.add(SignInMethods.MFA);
        }
        return new ArrayList<>(values);
    }
}
