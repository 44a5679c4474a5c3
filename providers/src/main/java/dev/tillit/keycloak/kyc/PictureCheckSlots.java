package dev.tillit.keycloak.kyc;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * How many pictures one node checks at once, and for how long each may decode. Decoding is the
 * only costly part of an upload (CPU and memory); beyond the limit an upload is answered 503 with
 * {@code Retry-After} at once, instead of queueing behind the others while sign-ins wait for a
 * core. One instance per node, held by {@link KycUploadResourceFactory} (a cluster's nodes each
 * have their own cores, so the limit is per node by nature).
 */
public final class PictureCheckSlots {

    /** What the 503 asks the page to wait: about one check's time on a busy node. */
    public static final int RETRY_AFTER_SECONDS = 2;

    private final Semaphore slots;
    private final int limit;
    private final Duration decodeTime;

    public PictureCheckSlots(int limit, Duration decodeTime) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one picture check at a time, not " + limit);
        }
        this.limit = limit;
        this.slots = new Semaphore(limit);
        this.decodeTime = decodeTime;
    }

    /** A slot, or false at once when all are taken. A taken slot must be given back with {@link #release()}. */
    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    public void release() {
        slots.release();
    }

    public int limit() {
        return limit;
    }

    /** The most CPU time one decode may take; it is then stopped and the picture refused as too costly. */
    public Duration decodeTime() {
        return decodeTime;
    }
}
