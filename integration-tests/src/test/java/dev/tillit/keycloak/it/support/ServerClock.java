package dev.tillit.keycloak.it.support;

import java.time.Duration;

/**
 * Waiting for what the server judges by its own clock, which it shares with this machine: a
 * lifetime running out is not visible from outside until something is refused, so the test waits
 * until the server's rule says it has certainly passed, computed from the configured lifetime.
 */
public final class ServerClock {

    /**
     * How long a "nothing more arrives" check waits where the server hands messages over on
     * Keycloak's executor after it has answered (the reset's codes): that pool keeps no order, so
     * no later, known message can mark the end of the earlier ones. A local gateway or GreenMail
     * takes milliseconds; this leaves a busy two-core machine ample room.
     */
    public static final Duration BACKGROUND_DELIVERY = Duration.ofSeconds(2);

    private ServerClock() {
    }

    /**
     * Returns once a one-time code that arrived at {@code arrivedAtMillis}, issued with
     * {@code lifetimeSeconds}, is expired on the server. OneTimeCodes stores the expiry as Keycloak's
     * {@code Time.currentTime()} (whole seconds) plus the lifetime and refuses once the current
     * second is past it; the code was issued no later than it arrived, so from the start of the
     * second after (arrival second + lifetime) it is refused.
     */
    public static void outliveCode(long arrivedAtMillis, int lifetimeSeconds) throws InterruptedException {
        sleepUntil((arrivedAtMillis / 1000 + lifetimeSeconds + 1) * 1000);
    }

    /**
     * Returns once something issued no later than {@code issuedAtMillis} with a lifetime of
     * {@code lifetime}, judged in milliseconds and refused from its expiry on (the bot check's
     * challenge), has expired.
     */
    public static void outlive(long issuedAtMillis, Duration lifetime) throws InterruptedException {
        sleepUntil(issuedAtMillis + lifetime.toMillis());
    }

    /** Lets messages the server handed to its executor before now arrive: see {@link #BACKGROUND_DELIVERY}. */
    public static void letBackgroundDeliveriesArrive() throws InterruptedException {
        Thread.sleep(BACKGROUND_DELIVERY.toMillis());
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        for (long left = epochMillis - System.currentTimeMillis(); left > 0; left = epochMillis - System.currentTimeMillis()) {
            Thread.sleep(left);
        }
    }
}
