package io.frontier.control.push;

/**
 * Bounds of the Push API, validated when built.
 *
 * @param maxPayloadBytes  the largest payload accepted; the TCP protocol caps it at 65535
 * @param defaultAckTimeoutMs the ack wait when a caller asks for acks without a timeout
 * @param maxAckTimeoutMs  the longest ack wait a caller may ask for
 */
public record PushLimits(int maxPayloadBytes, int defaultAckTimeoutMs, int maxAckTimeoutMs) {
    /** 65535-byte payloads, 5 s default ack wait, 60 s at most. */
    public static final PushLimits DEFAULTS = new PushLimits(65535, 5000, 60_000);

    public PushLimits {
        if (maxPayloadBytes < 1 || maxPayloadBytes > 65535) {
            throw new IllegalArgumentException("maxPayloadBytes: " + maxPayloadBytes + " (expected: 1..65535)");
        }
        if (maxAckTimeoutMs < 1 || maxAckTimeoutMs > 60_000) {
            throw new IllegalArgumentException("maxAckTimeoutMs: " + maxAckTimeoutMs + " (expected: 1..60000)");
        }
        if (defaultAckTimeoutMs < 1 || defaultAckTimeoutMs > maxAckTimeoutMs) {
            throw new IllegalArgumentException("defaultAckTimeoutMs: " + defaultAckTimeoutMs
                    + " (expected: 1.." + maxAckTimeoutMs + ")");
        }
    }
}
