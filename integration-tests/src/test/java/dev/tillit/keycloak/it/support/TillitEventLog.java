package dev.tillit.keycloak.it.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * The realm's stored events since this log was made (one per test), read through the admin API
 * and picked by their {@code tillit_event} detail.
 */
public final class TillitEventLog {

    public static final String DETAIL = "tillit_event";

    private final ManagedRealm realm;
    private final long since;
    private final Set<String> read = new HashSet<>();

    public TillitEventLog(ManagedRealm realm) {
        this.realm = realm;
        // From now: the server shares this machine's clock, and an earlier margin would let the
        // previous test's events in.
        this.since = System.currentTimeMillis();
    }

    /** Waits for the next unread event with {@code tillit_event=value}. */
    public EventRepresentation await(String value) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            List<EventRepresentation> events = fetch();
            seen = events.stream().map(e -> e.getType() + "/" + detail(e, DETAIL)).toList();
            for (EventRepresentation event : events) {
                if (value.equals(detail(event, DETAIL)) && read.add(event.getId())) {
                    return event;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no event with " + DETAIL + "=" + value + "; seen: " + seen);
    }

    /**
     * Waits for the next unread event of Keycloak's {@code type} (e.g. {@code LOGIN_ERROR}) that has
     * {@code detail=value} (any when {@code detail} is null): for Keycloak's own steps, which name no
     * {@code tillit_event}.
     */
    public EventRepresentation awaitType(String type, String detail, String value) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            List<EventRepresentation> events = fetch();
            seen = events.stream().map(e -> e.getType() + "/" + e.getError() + "/" + e.getDetails()).toList();
            for (EventRepresentation event : events) {
                if (type.equals(event.getType()) && (detail == null || value.equals(detail(event, detail)))
                        && read.add(event.getId())) {
                    return event;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + type + " event with " + detail + "=" + value + "; seen: " + seen);
    }

    /** Every event so far with {@code tillit_event=value}. */
    public List<EventRepresentation> all(String value) {
        return fetch().stream().filter(e -> value.equals(detail(e, DETAIL))).toList();
    }

    /** Every event so far of Keycloak's {@code type} (e.g. {@code LOGIN}) for the user {@code userId}. */
    public List<EventRepresentation> ofType(String type, String userId) {
        return fetch().stream().filter(e -> type.equals(e.getType()) && userId.equals(e.getUserId())).toList();
    }

    private List<EventRepresentation> fetch() {
        return new ArrayList<>(realm.admin().getEvents(null, null, null, since, System.currentTimeMillis() + 60_000,
                null, 0, 1000, "asc"));
    }

    public static String detail(EventRepresentation event, String key) {
        Map<String, String> details = event.getDetails();
        return details == null ? null : details.get(key);
    }
}
