package dev.tillit.keycloak.code;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Hourly send limits without a database write: N slot keys per recipient (or IP) per clock hour
 * in Keycloak's cluster-wide single-use store. {@code putIfAbsent} is atomic across nodes, so
 * at most N sends win a slot, whichever node they reach.
 */
final class SendLimiter {

    private static final long HOUR = 3600;

    private final SingleUseObjectProvider store;
    private final String realmId;

    SendLimiter(KeycloakSession session, RealmModel realm) {
        this.store = session.singleUseObjects();
        this.realmId = realm.getId();
    }

    /**
     * Takes one slot for each of the given counters, or none: if any counter is exhausted the
     * slots already taken are handed back and null is returned.
     */
    Reservation reserve(List<Counter> counters) {
        long hour = Time.currentTime() / HOUR;
        List<String> taken = new ArrayList<>();
        for (Counter counter : counters) {
            String slot = takeSlot(counter, hour);
            if (slot == null) {
                taken.forEach(store::remove);
                return null;
            }
            taken.add(slot);
        }
        return new Reservation(taken);
    }

    private String takeSlot(Counter counter, long hour) {
        for (int i = 0; i < counter.limit(); i++) {
            String key = "tillit:limit:" + realmId + ":" + counter.kind() + ":" + counter.subject() + ":" + hour + ":" + i;
            if (store.putIfAbsent(key, HOUR + 60)) {
                return key;
            }
        }
        return null;
    }

    record Counter(String kind, String subject, int limit) {
    }

    /** Slots taken for one send; released again when the gateway failed, so a fault costs nothing. */
    final class Reservation {

        private final List<String> keys;

        private Reservation(List<String> keys) {
            this.keys = keys;
        }

        void release() {
            keys.forEach(store::remove);
        }
    }
}
