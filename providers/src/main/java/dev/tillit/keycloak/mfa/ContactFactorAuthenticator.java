package dev.tillit.keycloak.mfa;

import java.util.List;

import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.CodeStepAuthenticator;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.code.VerifyResult;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.CredentialValidator;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * Asks for the SMS or email second factor after the password (and in the reset flow): sends a
 * code at once to the account's verified number or address and opens on the code page. Built
 * on the code engine's one base, so sending, limits, attempts, binding and events are the same
 * as everywhere else; the code's purpose is the sign-in's own, so a code issued while setting the
 * factor up (or for sign-up or reset) never passes here.
 * <p>
 * As a {@link CredentialValidator} it is offered only to users who hold the credential, and
 * Keycloak's "try another way" lists it next to the authenticator app. Wrong codes count for
 * Keycloak's brute-force detection, and while that detection has the account locked no entry is
 * even compared (as in Keycloak's own OTP form).
 */
public class ContactFactorAuthenticator extends CodeStepAuthenticator
        implements CredentialValidator<ContactFactorCredentialProvider> {

    private final ContactFactor factor;

    ContactFactorAuthenticator(ContactFactor factor) {
        this.factor = factor;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        attributeEvents(context);
        super.authenticate(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        attributeEvents(context);
        super.action(context);
    }

    /** The step's events (sent, failed, verified...) name the account whose factor it is. */
    private static void attributeEvents(AuthenticationFlowContext context) {
        if (context.getUser() != null) {
            context.getEvent().user(context.getUser());
        }
    }

    @Override
    protected String purpose() {
        return factor.signInPurpose();
    }

    @Override
    protected CodeRecipient knownRecipient(AuthenticationFlowContext context, OneTimeCodes codes) {
        UserModel user = context.getUser();
        String contact = user == null ? null : factor.verifiedContact(user);
        return contact == null ? null
                : CodeRecipient.account(factor.channel(), contact, user.getId(), Masking.recipient(factor.channel(), contact));
    }

    /**
     * Shown only when the user holds the factor but the account no longer has a verified number
     * or address for it (an admin removed it): nothing can be sent, and nothing is let through.
     */
    @Override
    protected Response firstScreen(AuthenticationFlowContext context, MultivaluedMap<String, String> submitted,
                                   List<FormMessage> errors) {
        context.getEvent().detail(Details.CREDENTIAL_TYPE, factor.credentialType()).error(Errors.INVALID_USER_CREDENTIALS);
        return context.form().setError(factor.message("Unavailable")).createErrorPage(Response.Status.BAD_REQUEST);
    }

    @Override
    protected CodeRecipient identify(AuthenticationFlowContext context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        // Never reached: a second factor has no first screen to submit (offersRestart is false).
        context.challenge(firstScreen(context, form, List.of()));
        return null;
    }

    @Override
    protected void verified(AuthenticationFlowContext context, CodeRecipient recipient) {
        UserModel user = context.getUser();
        if (user == null || !user.getId().equals(recipient.userId())
                || !recipient.target().equals(factor.verifiedContact(user))
                || !configuredFor(context.getSession(), context.getRealm(), user)) {
            // The number or address changed, or the factor was removed, after the code went out.
            failLikeAWrongCode(context, recipient);
            return;
        }
        context.getEvent().detail(Details.CREDENTIAL_TYPE, factor.credentialType());
        context.success();
    }

    /**
     * A wrong code is a failed sign-in for Keycloak's brute-force detection, as a wrong
     * authenticator-app code is. Keycloak 26.7 counts a {@code failureChallenge} only for steps
     * whose reference category is {@code password}, {@code otp} or {@code recovery-authn-codes};
     * this step's category is its credential type (so the account console offers the factor), so
     * it reports the failure itself — once, as Keycloak skips the category it does not know.
     */
    @Override
    protected void showAfterWrongCode(AuthenticationFlowContext context, Response page) {
        UserModel user = context.getUser();
        if (user != null && context.getRealm().isBruteForceProtected()) {
            context.getSession().getProvider(BruteForceProtector.class)
                    .failedLogin(context.getRealm(), user, context.getConnection(), context.getUriInfo(), null);
        }
        super.showAfterWrongCode(context, page);
    }

    @Override
    protected String refuseEntry(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        RealmModel realm = context.getRealm();
        if (user == null || !realm.isBruteForceProtected()) {
            return null;
        }
        BruteForceProtector protector = context.getSession().getProvider(BruteForceProtector.class);
        if (protector.isTemporarilyDisabled(context.getSession(), realm, user)
                || protector.isPermanentlyLockedOut(context.getSession(), realm, user)) {
            context.getEvent().user(user).error(Errors.USER_TEMPORARILY_DISABLED);
            // Worded like a wrong code, as Keycloak's OTP form does: the lock is not announced.
            return VerifyResult.INVALID.messageKey();
        }
        return null;
    }

    @Override
    protected boolean offersRestart(AuthenticationFlowContext context) {
        return false;
    }

    @Override
    protected String codeLeadKey() {
        return factor.message("CodeSent");
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return getCredentialProvider(session).isConfiguredFor(realm, user, factor.credentialType());
    }

    @Override
    public ContactFactorCredentialProvider getCredentialProvider(KeycloakSession session) {
        return (ContactFactorCredentialProvider) session.getProvider(CredentialProvider.class, factor.credentialType());
    }
}
