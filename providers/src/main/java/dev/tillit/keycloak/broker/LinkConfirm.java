package dev.tillit.keycloak.broker;


import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Last step of "Link existing account", after the account's password and second factor: says
 * that the provider is now a way into this account; on "Continue" Keycloak records the link as the
 * flow ends ({@code FEDERATED_IDENTITY_LINK}), on which the withdrawal-lock listener locks withdrawals
 * and tells the owner by mail and SMS, with a "this was not me" link. An account that already has
 * another identity at the same provider is refused.
 */
public class LinkConfirm extends AbstractIdpAuthenticator {

    static final String FORM = "tillit-first-login-linked.ftl";

    @Override
    protected void authenticateImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serializedCtx,
                                    BrokeredIdentityContext brokerContext) {
        IdentityProviderModel idp = brokerContext.getIdpConfig();
        UserModel user = context.getUser();
        if (context.getSession().users().getFederatedIdentity(context.getRealm(), user, idp.getAlias()) != null) {
            context.getEvent().user(user).detail(Details.IDENTITY_PROVIDER, idp.getAlias())
                    .error(Errors.FEDERATED_IDENTITY_EXISTS);
            Response page = context.form().setError(TillitMessages.BROKER_ALREADY_LINKED, FirstLoginChoice.displayName(idp))
                    .createErrorPage(Response.Status.CONFLICT);
            context.failureChallenge(AuthenticationFlowError.IDENTITY_PROVIDER_ERROR, page);
            return;
        }
        context.challenge(context.form()
                .setAttribute("idpName", FirstLoginChoice.displayName(idp))
                .setAttribute("idpUsername", brokerContext.getUsername())
                .createForm(FORM));
    }

    @Override
    protected void actionImpl(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serializedCtx,
                              BrokeredIdentityContext brokerContext) {
        IdentityProviderModel idp = brokerContext.getIdpConfig();
        UserModel user = context.getUser();
        context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(Details.IDENTITY_PROVIDER, idp.getAlias())
                .detail(Details.IDENTITY_PROVIDER_USERNAME, brokerContext.getUsername())
                .detail(TillitEvents.DETAIL, TillitEvents.BROKER_LINK_CONFIRMED)
                .success();
        // This step comes after the link's password and second factor: the post-sign-in flow need not ask again.
        context.getAuthenticationSession().setAuthNote(FactorPassedAtLinkCondition.LINK_VERIFIED, user.getId());
        context.success();
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }
}
