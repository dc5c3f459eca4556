package io.frontier.status.pending;

/**
 * The bounds of a {@link PendingStore}, checked when made.
 *
 * @param maxPerDevice messages kept per device at most (the oldest goes past it), 1 to 100,000
 * @param maxBytes     bytes kept in all at most (a message past it is refused), at least 1 MiB
 */
public record PendingLimits(int maxPerDevice, long maxBytes) {
    /** 100 messages per device, 256 MiB in all. */
    public static final PendingLimits DEFAULTS = new PendingLimits(100, 256L << 20);

    public PendingLimits {
        if (maxPerDevice < 1 || maxPerDevice > 100_000) {
            throw new IllegalArgumentException("maxPerDevice: " + maxPerDevice + " (expected: 1..100000)");
        }
        if (maxBytes < (1L << 20)) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: at least 1048576)");
        }
    }
}
