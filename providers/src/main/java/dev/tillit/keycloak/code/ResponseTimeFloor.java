package dev.tillit.keycloak.code;

import java.time.Duration;

/** Holds an answer back until a minimum time has passed, so its timing carries no information. */
public final class ResponseTimeFloor {

    private ResponseTimeFloor() {
    }

    public static void await(long startedNanos, Duration floor) {
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
