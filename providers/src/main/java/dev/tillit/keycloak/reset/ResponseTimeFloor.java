package dev.tillit.keycloak.reset;

import java.time.Duration;

/** Holds an answer back until a minimum time has passed, so its timing carries no information. */
final class ResponseTimeFloor {

    private ResponseTimeFloor() {
    }

    static void await(long startedNanos, Duration floor) {
        long remaining = floor.toNanos() - (System.nanoTime() - startedNanos);
        if (remaining > 0) {
            try {
                Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
