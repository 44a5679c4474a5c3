package dev.tillit.keycloak.code;

import java.util.List;

import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The password grant's stand-in for a bot check: each client address (IPv6 per /64, see
 * {@link ClientAddress}) may fail {@code passwordGrantFailuresPerIpPerHour} password checks in any
 * hour, across all accounts. Counted like the send limits ({@link SendLimiter}: slot keys in the
 * cluster-wide single-use store, no database write). A slot is taken <em>before</em> a password is
 * checked and handed back when the check succeeds, so even parallel guesses never exceed the budget,
 * and a spent budget refuses before anything is looked at.
 */
public final class PasswordFailureBudget {

    /** The slot of a request from an address Keycloak does not know: nothing to count, nothing to hand back. */
    public static final String UNCOUNTED = "";

    private static final long HOUR = 3600;

    private PasswordFailureBudget() {
    }

    /**
     * Takes one slot for the request's client address: its key (keep it to {@link #giveBack} on
     * success), {@link #UNCOUNTED} without an address, or null when the address's budget is spent.
     */
    public static String take(KeycloakSession session, RealmModel realm) {
        String network = network(session);
        if (network == null) {
            return UNCOUNTED;
        }
        SendLimiter.Reservation reservation = new SendLimiter(session, realm).reserve(List.of(
                new SendLimiter.Counter("password-ip", network, TillitSettings.of(realm).passwordGrantFailuresPerIpPerHour(), HOUR)));
        return reservation.granted() ? reservation.keys().get(0) : null;
    }

    /** Hands a slot back: the password it was taken for was right. */
    public static void giveBack(KeycloakSession session, String slot) {
        if (slot != null && !slot.isEmpty()) {
            session.singleUseObjects().remove(slot);
        }
    }

    /** The counting key of the request's client (IPv4 address or IPv6 /64), or null. */
    public static String network(KeycloakSession session) {
        return ClientAddress.of(session.getContext().getConnection());
    }
}
