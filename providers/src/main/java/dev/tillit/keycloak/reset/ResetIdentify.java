package dev.tillit.keycloak.reset;

import dev.tillit.keycloak.TillitMessages;
import java.util.List;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.CodeStepAuthenticator;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.login.Identifier;
import dev.tillit.keycloak.phone.PhoneUserLookup;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "Forgot your password?": the person types an email address or mobile number and proves they
 * hold it with a one-time code. A code goes out only to an account's own current email or its
 * verified number, and only when that is exactly what was typed (after normalising); anything
 * else — an unknown address, an old address that survives only as a username, an unverified
 * number — gets a decoy: the same page, limits and timing, and nothing sent. Delivery happens
 * off the request thread, so the gateway's speed or failure tells nothing either.
 */
public class ResetIdentify extends CodeStepAuthenticator {

    static final String PURPOSE = "reset";
    static final String FORM = "tillit-reset-identify.ftl";
    private static final String TYPED = "tillit.reset.typed";

    @Override
    protected String purpose() {
        return PURPOSE;
    }

    @Override
    protected Response firstScreen(AuthenticationFlowContext context, MultivaluedMap<String, String> submitted,
                                   List<FormMessage> errors) {
        String identifier = submitted == null
                ? context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME)
                : submitted.getFirst(FIELD_IDENTIFIER);
        LoginFormsProvider forms = context.form().setAttribute("identifier", identifier == null ? "" : identifier.trim());
        if (!errors.isEmpty()) {
            forms.setErrors(errors);
        }
        return forms.createForm(FORM);
    }

    @Override
    protected CodeRecipient identify(AuthenticationFlowContext context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        String typed = form.getFirst(FIELD_IDENTIFIER);
        Identifier identifier = Identifier.parse(typed, codes.settings().phoneDefaultRegion());
        if (!identifier.valid()) {
            // About the input's form only, never about accounts.
            context.challenge(firstScreen(context, form, List.of(new FormMessage(FIELD_IDENTIFIER, identifier.error()))));
            return null;
        }
        context.getAuthenticationSession().setAuthNote(TYPED, typed.trim());
        String shown = Masking.recipient(identifier.channel(), identifier.value());
        UserModel owner = owner(context.getSession(), context.getRealm(), identifier.channel(), identifier.value());
        return owner == null
                ? CodeRecipient.decoy(identifier.channel(), identifier.value(), shown)
                : CodeRecipient.account(identifier.channel(), identifier.value(), owner.getId(), shown);
    }

    /** The account may have changed its address since the first code: a resend follows what is true now. */
    @Override
    protected CodeRecipient recheck(AuthenticationFlowContext context, CodeRecipient recipient) {
        if (recipient.userId() == null) {
            return recipient;
        }
        UserModel owner = owner(context.getSession(), context.getRealm(), recipient.channel(), recipient.target());
        return owner != null && owner.getId().equals(recipient.userId())
                ? recipient
                : CodeRecipient.decoy(recipient.channel(), recipient.target(), recipient.shown());
    }

    @Override
    protected void verified(AuthenticationFlowContext context, CodeRecipient recipient) {
        UserModel user = recipient.userId() == null ? null
                : context.getSession().users().getUserById(context.getRealm(), recipient.userId());
        UserModel owner = owner(context.getSession(), context.getRealm(), recipient.channel(), recipient.target());
        if (user == null || owner == null || !owner.getId().equals(user.getId())) {
            // The address changed hands (or the account was disabled) after the code went out.
            failLikeAWrongCode(context, recipient);
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // Later pages show what the person typed (not an internal username) above the form.
        authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, authSession.getAuthNote(TYPED));
        forget(authSession);
        context.getEvent().user(user);
        context.setUser(user);
        context.success();
    }

    /**
     * The enabled account whose own current verified email, or verified phone number, is exactly
     * {@code value}; null for anything else (including an address that is only a username).
     */
    static UserModel owner(KeycloakSession session, RealmModel realm, CodeChannel channel, String value) {
        UserModel user;
        if (channel == CodeChannel.EMAIL) {
            user = session.users().getUserByEmail(realm, value);
            // Only a proved address gets a reset code (an admin-set one is unverified until the user proves it).
            if (user != null && !(user.isEmailVerified() && value.equalsIgnoreCase(user.getEmail()))) {
                user = null;
            }
        } else {
            user = PhoneUserLookup.findByPhone(session, realm, value);
            if (user != null && !(TillitAttributes.phoneVerified(user)
                    && value.equals(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER)))) {
                user = null;
            }
        }
        return user != null && user.isEnabled() ? user : null;
    }

    @Override
    protected void forget(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(TYPED);
    }

    @Override
    protected boolean deliverInBackground() {
        return true;
    }

    @Override
    protected String codeLeadKey() {
        return TillitMessages.RESET_CODE_SENT;
    }
}
