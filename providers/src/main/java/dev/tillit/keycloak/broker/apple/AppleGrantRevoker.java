package dev.tillit.keycloak.broker.apple;

import java.util.ArrayList;
import java.util.List;

import dev.tillit.keycloak.AfterCommit;
import dev.tillit.keycloak.TillitEvents;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;

/**
 * When an account with a Sign in with Apple link is deleted (admin console, admin API, the account
 * console's "Delete account"), the grant is revoked at Apple ({@code POST /auth/revoke} with
 * {@code client_id}, the ES256 client secret, the refresh token and {@code token_type_hint}), as the
 * App Store requires. What is needed is gathered before the account is removed (its links go with
 * it); the call is made only once the deletion is committed, and whatever Apple answers the deletion
 * stands: a failure is logged and recorded as an event ({@code apple_revoke_failed}) for the operator.
 */
final class AppleGrantRevoker {

    private static final Logger LOG = Logger.getLogger(AppleGrantRevoker.class);

    private record Revocation(String alias, String url, String clientId, String clientSecret, String refreshToken) {
    }

    private AppleGrantRevoker() {
    }

    static void onEvent(ProviderEvent event) {
        if (event instanceof UserModel.UserPreRemovedEvent removed) {
            prepare(removed.getKeycloakSession(), removed.getRealm(), removed.getUser());
        }
    }

    private static void prepare(KeycloakSession session, RealmModel realm, UserModel user) {
        List<Revocation> revocations = new ArrayList<>();
        java.util.Map<String, String> unavailable = new java.util.LinkedHashMap<>();
        session.users().getFederatedIdentitiesStream(realm, user).forEach(link -> {
            IdentityProviderModel model = session.identityProviders().getByAlias(link.getIdentityProvider());
            if (model == null || !AppleIdentityProviderFactory.ID.equals(model.getProviderId())) {
                return;
            }
            String refreshToken = AppleTokenSeal.open(session, realm, link.getUserId(), link.getToken());
            if (refreshToken == null) {
                unavailable.put(model.getAlias(), "no_refresh_token");
                return;
            }
            AppleIdentityProvider apple = new AppleIdentityProvider(session, new AppleIdentityProviderConfig(model));
            try {
                revocations.add(new Revocation(model.getAlias(), apple.getConfig().getRevokeUrl(), apple.getConfig().getClientId(),
                        apple.clientSecret(), refreshToken));
            } catch (RuntimeException e) {
                LOG.errorf("Apple grant of a deleted account cannot be revoked (identity provider '%s'): %s", model.getAlias(), e.getMessage());
                unavailable.put(model.getAlias(), "client_secret_unavailable");
            }
        });
        if (revocations.isEmpty() && unavailable.isEmpty()) {
            return;
        }
        String userId = user.getId();
        ClientConnection connection = session.getContext().getConnection();
        // After the commit only: a deletion that rolls back keeps the account, and so its grant.
        AfterCommit.inOwnTransaction(session, realm.getId(), (s, r) -> {
            unavailable.forEach((alias, reason) -> record(s, r, connection, userId, alias, reason, false));
            revocations.forEach(revocation -> revoke(s, r, connection, userId, revocation));
        });
    }

    private static void revoke(KeycloakSession session, RealmModel realm, ClientConnection connection, String userId, Revocation revocation) {
        String problem;
        try {
            int status = SimpleHttp.create(session).doPost(revocation.url())
                    .param("client_id", revocation.clientId())
                    .param("client_secret", revocation.clientSecret())
                    .param("token", revocation.refreshToken())
                    .param("token_type_hint", "refresh_token")
                    .asStatus();
            problem = status == 200 ? null : "HTTP " + status;
        } catch (Exception e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (problem != null) {
            LOG.errorf("Apple grant of deleted account %s not revoked at %s (identity provider '%s'): %s", userId, revocation.url(),
                    revocation.alias(), problem);
        }
        record(session, realm, connection, userId, revocation.alias(), problem, problem == null);
    }

    private static void record(KeycloakSession session, RealmModel realm, ClientConnection connection, String userId, String alias,
                               String problem, boolean revoked) {
        EventBuilder event = new EventBuilder(realm, session, connection).event(EventType.REMOVE_FEDERATED_IDENTITY).user(userId)
                .detail(Details.IDENTITY_PROVIDER, alias)
                .detail(TillitEvents.DETAIL, revoked ? TillitEvents.APPLE_GRANT_REVOKED : TillitEvents.APPLE_REVOKE_FAILED);
        if (revoked) {
            event.success();
        } else {
            event.detail(Details.REASON, problem).error(TillitEvents.APPLE_REVOKE_FAILED);
        }
    }
}
