package dev.tillit.keycloak.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.login.Consent;
import dev.tillit.keycloak.login.UsernameGenerator;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The first screen after a first sign-in with Google, Apple or Telegram: "Link existing account"
 * or "Sign up for a new account" (with the user agreement and privacy policy, recorded as our
 * registration records them). Nothing is ever linked here, and never by email: linking needs the
 * existing account's password and second factor (the link sub-flow after this step).
 *
 * <p>Sign-up uses the provider's email for the new account only when no account holds it. When one
 * does and the provider vouches for the address (the admin marked it "Trust email" and its id_token
 * says {@code email_verified: true}), the person is told to link instead: they proved that address at
 * the provider. Otherwise the address is simply not used: an unverified claim must neither reveal nor
 * reach someone else's account.
 */
public class FirstLoginChoice extends AbstractIdpAuthenticator {

    static final String FORM = "tillit-first-login.ftl";
    /** Auth note: what the person chose ({@link #LINK}); read by {@link LinkChosenCondition}. */
    static final String CHOICE_NOTE = "tillit.broker.choice";
    static final String LINK = "link";
    static final String SIGN_UP = "signup";

    @Override
    protected void authenticateImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serializedCtx,
                                    BrokeredIdentityContext brokerContext) {
        context.getAuthenticationSession().removeAuthNote(CHOICE_NOTE);
        context.challenge(page(context, brokerContext, null, List.of()));
    }

    @Override
    protected void actionImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serializedCtx,
                              BrokeredIdentityContext brokerContext) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String choice = form.getFirst("choice");
        if (LINK.equals(choice)) {
            context.getAuthenticationSession().setAuthNote(CHOICE_NOTE, LINK);
            context.success();
            return;
        }
        if (!SIGN_UP.equals(choice)) {
            context.challenge(page(context, brokerContext, form, List.of()));
            return;
        }
        List<FormMessage> errors = Consent.missing(form);
        if (!errors.isEmpty()) {
            context.getEvent().error(Errors.INVALID_REGISTRATION);
            context.challenge(page(context, brokerContext, form, errors));
            return;
        }
        signUp(context, serializedCtx, brokerContext, form);
    }

    private void signUp(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serializedCtx,
                        BrokeredIdentityContext brokerContext, MultivaluedMap<String, String> form) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        IdentityProviderModel idp = brokerContext.getIdpConfig();

        String email = brokerContext.getEmail();
        if (email != null && session.users().getUserByEmail(realm, email) != null) {
            if (vouchedFor(idp, brokerContext)) {
                context.getEvent().clone().event(EventType.IDENTITY_PROVIDER_FIRST_LOGIN)
                        .detail(Details.IDENTITY_PROVIDER, idp.getAlias())
                        .detail(TillitEvents.DETAIL, TillitEvents.BROKER_EMAIL_TAKEN)
                        .error(Errors.EMAIL_IN_USE);
                context.challenge(page(context, brokerContext, form,
                        List.of(new FormMessage(null, TillitMessages.BROKER_EMAIL_TAKEN, displayName(idp)))));
                return;
            }
            // Not trusted to be the person's address: the new account simply does not get it. The
            // serialized context is what Keycloak copies the email from after the flow, so clear it there.
            serializedCtx.setEmail(null);
            serializedCtx.saveToAuthenticationSession(authSession, BROKERED_CONTEXT_NOTE);
        }

        UserModel user;
        try {
            user = session.users().addUser(realm, UsernameGenerator.forPhoneSignup());
        } catch (ModelDuplicateException e) {
            context.challenge(page(context, brokerContext, form, List.of()));
            return;
        }
        user.setEnabled(true);
        user.setFirstName(brokerContext.getFirstName());
        user.setLastName(brokerContext.getLastName());
        TillitSettings settings = TillitSettings.of(realm);
        long now = Time.currentTime();
        user.setSingleAttribute(TillitAttributes.TERMS_ACCEPTED, Consent.terms(settings, now));
        user.setSingleAttribute(TillitAttributes.PRIVACY_ACCEPTED, Consent.privacy(settings, now));
        user.setSingleAttribute(TillitAttributes.KYC_LEVEL, "0");
        user.setSingleAttribute(TillitAttributes.KYC_STATUS, "none");
        Locale locale = session.getContext().resolveLocale(null);
        if (locale != null && realm.isInternationalizationEnabled()) {
            user.setSingleAttribute(UserModel.LOCALE, locale.toLanguageTag());
        }
        authSession.setAuthNote(CHOICE_NOTE, SIGN_UP);
        authSession.setAuthNote(AbstractIdentityProvider.BROKER_REGISTERED_NEW_USER, "true");
        context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(Details.IDENTITY_PROVIDER, idp.getAlias())
                .detail(Details.REGISTER_METHOD, "broker")
                .detail(TillitEvents.DETAIL, TillitEvents.BROKER_SIGNED_UP)
                .success();
        context.setUser(user);
        context.success();
    }

    private Response page(AuthenticationFlowContext context, BrokeredIdentityContext brokerContext,
                          MultivaluedMap<String, String> submitted, List<FormMessage> errors) {
        TillitSettings settings = TillitSettings.of(context.getRealm());
        LoginFormsProvider forms = Consent.show(context.form(), settings, submitted)
                .setAttribute("idpName", displayName(brokerContext.getIdpConfig()))
                .setAttribute("idpUsername", brokerContext.getUsername());
        for (FormMessage error : errors) {
            if (error.getField() == null) {
                forms.setError(error.getMessage(), error.getParameters());
            } else {
                forms.addError(error);
            }
        }
        return forms.createForm(FORM);
    }

    /** "Trust email" on, and the validated id_token says the address is verified. */
    static boolean vouchedFor(IdentityProviderModel idp, BrokeredIdentityContext brokerContext) {
        if (!Boolean.TRUE.equals(idp.isTrustEmail())) {
            return false;
        }
        Object token = brokerContext.getContextData().get(OIDCIdentityProvider.VALIDATED_ID_TOKEN);
        return token instanceof JsonWebToken idToken
                && "true".equals(String.valueOf(idToken.getOtherClaims().get(IDToken.EMAIL_VERIFIED)));
    }

    static String displayName(IdentityProviderModel idp) {
        return idp.getDisplayName() == null || idp.getDisplayName().isBlank() ? idp.getAlias() : idp.getDisplayName();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }
}
