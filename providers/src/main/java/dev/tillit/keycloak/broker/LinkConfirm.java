package dev.tillit.keycloak.broker;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.code.CodeDelivery;
import dev.tillit.keycloak.code.DeliveryFailedException;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
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
 * that the provider is now a way into this account; on "Continue" the owner is told by mail (and
 * SMS to a verified number) that a sign-in method was added, and Keycloak records the link as the
 * flow ends. An account that already has another identity at the same provider is refused.
 */
public class LinkConfirm extends AbstractIdpAuthenticator {

    private static final Logger LOG = Logger.getLogger(LinkConfirm.class);
    static final String FORM = "tillit-first-login-linked.ftl";
    static final String MAIL = "tillit-broker-linked.ftl";

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
        notifyOwner(context.getSession(), context.getRealm(), user, FirstLoginChoice.displayName(idp));
        context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(Details.IDENTITY_PROVIDER, idp.getAlias())
                .detail(Details.IDENTITY_PROVIDER_USERNAME, brokerContext.getUsername())
                .detail(TillitEvents.DETAIL, TillitEvents.BROKER_LINK_CONFIRMED)
                .success();
        // This step comes after the link's password and second factor: the post-sign-in flow need not ask again.
        context.getAuthenticationSession().setAuthNote(FactorPassedAtLinkCondition.LINK_VERIFIED, user.getId());
        context.success();
    }

    private static void notifyOwner(KeycloakSession session, RealmModel realm, UserModel user, String provider) {
        CodeDelivery delivery = new CodeDelivery(session, realm, TillitSettings.of(realm));
        String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        if (user.getEmail() != null) {
            try {
                delivery.email(user.getEmail(), user, TillitMessages.BROKER_LINKED_SUBJECT, MAIL,
                        Map.of("idpName", provider, "linkedAt", when));
            } catch (DeliveryFailedException e) {
                LOG.warnf("Sign-in method notice mail for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
        if (TillitAttributes.phoneVerified(user)) {
            try {
                delivery.sms(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER), user, TillitMessages.SMS_BROKER_LINKED, provider);
            } catch (DeliveryFailedException e) {
                LOG.warnf("Sign-in method notice SMS for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
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
