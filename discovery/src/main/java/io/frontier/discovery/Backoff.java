package io.frontier.discovery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between tries: the first wait, doubling up to the longest, each varied by a fifth at
 * random so that nodes that failed together do not come back together.
 *
 * <p>Not thread-safe: each user keeps it confined to its own thread.
 */
final class Backoff {
    private static final double JITTER = 0.2;

    private final long firstNanos;
    private final long maxNanos;
    private long nextNanos;

    Backoff(Duration first, Duration max) {
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = firstNanos;
    }

    /** Returns the wait before the next try and doubles the one after it, up to the longest. */
    long nextNanos() {
        long base = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) (base * factor);
    }

    /** Starts again from the first wait, after a success. */
    void reset() {
        nextNanos = firstNanos;
    }
}
