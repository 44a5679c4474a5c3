package dev.tillit.keycloak.broker;

import dev.tillit.keycloak.TillitEvents;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;

/**
 * The one way a refused sign-in from Apple, Google or Telegram is recorded, whichever provider
 * refused it: Keycloak's {@code IDENTITY_PROVIDER_LOGIN} error event with
 * {@link TillitEvents#BROKER_LOGIN_REJECTED} and one of the reasons below, so a SIEM routes every
 * provider's refusals on the same keys.
 */
public final class BrokerRejection {

    /** The id_token's signature, issuer, audience or expiry did not check out. */
    public static final String ID_TOKEN_INVALID = "id_token_invalid";
    /** The id_token's nonce is not the one this sign-in sent. */
    public static final String NONCE_MISMATCH = "nonce_mismatch";
    /** An id_token signed with an algorithm Keycloak cannot verify (Telegram's ES256K); the log names the setting. */
    public static final String SIGNING_ALGORITHM_UNSUPPORTED = "signing_algorithm_unsupported";
    /** A Telegram id_token without Telegram's numeric user id. */
    public static final String NO_TELEGRAM_ID = "no_telegram_id";

    private BrokerRejection() {
    }

    /** Records the refusal on {@code event} (a clone of the flow's, or a fresh one). */
    public static void record(EventBuilder event, String providerAlias, String reason) {
        event.event(EventType.IDENTITY_PROVIDER_LOGIN)
                .detail(Details.IDENTITY_PROVIDER, providerAlias)
                .detail(TillitEvents.DETAIL, TillitEvents.BROKER_LOGIN_REJECTED)
                .detail(Details.REASON, reason)
                .error(Errors.IDENTITY_PROVIDER_LOGIN_FAILURE);
    }

    /** Records the refusal on a fresh event of the request's realm and connection. */
    public static void record(KeycloakSession session, String providerAlias, String reason) {
        record(new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection()),
                providerAlias, reason);
    }
}
