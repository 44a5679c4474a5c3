package dev.tillit.keycloak.code;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Rolling-window limits without a database write: a counter of N per window is N slot keys in
 * Keycloak's cluster-wide single-use store, each taken with {@code putIfAbsent} (atomic across
 * nodes) and living for one window from the moment it was taken. So at most N takes succeed in
 * any window, whichever node they reach — and, unlike clock-hour buckets, a counter does not
 * reset when the hour turns.
 */
final class SendLimiter {

    /** Up to this many slots are probed one by one; larger counters are probed at random. */
    private static final int LINEAR_LIMIT = 64;
    private static final int RANDOM_PROBES = 48;

    private final SingleUseObjectProvider store;
    private final String realmId;

    SendLimiter(KeycloakSession session, RealmModel realm) {
        this.store = session.singleUseObjects();
        this.realmId = realm.getId();
    }

    /**
     * Takes one slot of each counter, or none: if any counter is exhausted the slots already
     * taken are handed back and null is returned together with the counter that was full.
     */
    Reservation reserve(List<Counter> counters) {
        List<String> taken = new ArrayList<>();
        for (Counter counter : counters) {
            String slot = takeSlot(counter);
            if (slot == null) {
                taken.forEach(store::remove);
                return new Reservation(List.of(), counter);
            }
            taken.add(slot);
        }
        return new Reservation(taken, null);
    }

    private String takeSlot(Counter counter) {
        String prefix = "tillit:limit:" + realmId + ":" + counter.kind() + ":" + counter.subject() + ":";
        if (counter.limit() <= LINEAR_LIMIT) {
            for (int i = 0; i < counter.limit(); i++) {
                if (store.putIfAbsent(prefix + i, counter.windowSeconds())) {
                    return prefix + i;
                }
            }
            return null;
        }
        // A realm-wide budget of thousands would cost thousands of cluster calls per send if probed
        // in order; random probes find a free slot in a few calls until the budget is nearly spent
        // (it may then refuse a few percent early, which is the safe side for a fraud budget).
        for (int probe = 0; probe < RANDOM_PROBES; probe++) {
            String key = prefix + ThreadLocalRandom.current().nextInt(counter.limit());
            if (store.putIfAbsent(key, counter.windowSeconds())) {
                return key;
            }
        }
        return null;
    }

    /** {@code limit} takes per rolling {@code windowSeconds} for one {@code kind}/{@code subject}. */
    record Counter(String kind, String subject, int limit, long windowSeconds) {
    }

    /** Slots taken for one send; released again when delivery failed, so a fault costs nothing. */
    final class Reservation {

        private final List<String> keys;
        private final Counter exhausted;

        private Reservation(List<String> keys, Counter exhausted) {
            this.keys = keys;
            this.exhausted = exhausted;
        }

        boolean granted() {
            return exhausted == null;
        }

        /** The counter that refused, or null. */
        Counter exhausted() {
            return exhausted;
        }

        List<String> keys() {
            return keys;
        }

        void release() {
            keys.forEach(store::remove);
        }
    }
}
