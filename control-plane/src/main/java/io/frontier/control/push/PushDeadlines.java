package io.frontier.control.push;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The control plane's own bounds on each step of a push, so that every Push is answered
 * whatever its caller's deadline (none, often) and whatever a step's peer does.
 *
 * @param statusStore how long the status store has to find the target's connections; past it the
 *                    push is UNAVAILABLE
 * @param edgeMargin  how long an edge has beyond the push's ack wait (none without {@code wait_ack});
 *                    past it the edge's devices are FAILED. An edge answers a push it could not
 *                    write within 10 s itself, so the margin is longer than that
 * @param notifier    how long the offline notifier has; past it the device stays OFFLINE
 */
public record PushDeadlines(Duration statusStore, Duration edgeMargin, Duration notifier) {
    /** 5 s for the status store, the ack wait plus 15 s for each edge, 5 s for the offline notifier. */
    public static final PushDeadlines DEFAULTS =
            new PushDeadlines(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(5));

    public PushDeadlines {
        positive("statusStore", statusStore);
        positive("edgeMargin", edgeMargin);
        positive("notifier", notifier);
    }

    /** Returns the longest a Push may take with an ack wait of {@code ackWaitMs} (0 without one). */
    public Duration bound(long ackWaitMs) {
        return statusStore.plus(edgeMargin).plus(notifier).plusMillis(ackWaitMs);
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
