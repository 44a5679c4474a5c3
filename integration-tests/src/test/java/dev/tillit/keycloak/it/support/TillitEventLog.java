package dev.tillit.keycloak.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.testframework.events.Events;

/**
 * Reads the realm's events (the test framework's {@link Events}, which only returns events of the
 * running test) by their {@code tillit_event} detail.
 */
public final class TillitEventLog {

    public static final String DETAIL = "tillit_event";

    private TillitEventLog() {
    }

    /** Polls until an event with {@code tillit_event=value} arrives (events before it are skipped). */
    public static EventRepresentation await(Events events, String value) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            EventRepresentation event = events.poll();
            if (event == null) {
                Thread.sleep(200);
                continue;
            }
            String what = detail(event, DETAIL);
            seen.add(event.getType() + (what == null ? "" : "/" + what));
            if (value.equals(what)) {
                return event;
            }
        }
        throw new AssertionError("no event with " + DETAIL + "=" + value + "; seen: " + seen);
    }

    /** Every event still to be read whose {@code tillit_event} is {@code value}, after waiting for the log to settle. */
    public static List<EventRepresentation> all(Events events, String value) throws InterruptedException {
        List<EventRepresentation> matching = new ArrayList<>();
        int idle = 0;
        while (idle < 5) {
            EventRepresentation event = events.poll();
            if (event == null) {
                idle++;
                Thread.sleep(200);
                continue;
            }
            idle = 0;
            if (value.equals(detail(event, DETAIL))) {
                matching.add(event);
            }
        }
        return matching;
    }

    public static String detail(EventRepresentation event, String key) {
        Map<String, String> details = event.getDetails();
        return details == null ? null : details.get(key);
    }
}
