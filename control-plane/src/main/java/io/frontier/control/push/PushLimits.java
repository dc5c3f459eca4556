package io.frontier.control.push;

/**
 * Bounds of the Push API, validated when built.
 *
 * @param maxPayloadBytes  the largest payload accepted; the TCP protocol caps it at 65535
 * @param defaultAckTimeoutMs the ack wait when a caller asks for acks without a timeout
 * @param maxAckTimeoutMs  the longest ack wait a caller may ask for
 * @param maxInFlight      the most Push and Broadcast calls answered at once; one more is refused
 *                         with RESOURCE_EXHAUSTED, so that a burst past capacity costs its callers a
 *                         quick retry instead of costing every push its latency and the node its memory
 */
public record PushLimits(int maxPayloadBytes, int defaultAckTimeoutMs, int maxAckTimeoutMs, int maxInFlight) {
    /** The default of {@link #maxInFlight}: at 64 KiB payloads at most, about 640 MiB held in the worst case. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    /** 65535-byte payloads, 5 s default ack wait, 60 s at most, 10,000 calls in flight. */
    public static final PushLimits DEFAULTS = new PushLimits(65535, 5000, 60_000, DEFAULT_MAX_IN_FLIGHT);

    /** Room in a Push or Broadcast request for what is not its payload: targets, payload type, ids. */
    private static final int REQUEST_FIELDS_BYTES = 64 * 1024;
    /**
     * The largest EdgeLink message a control plane takes on the same port: a snapshot part of up
     * to 10,000 connections (edges send 1,000) of a few hundred bytes each.
     */
    private static final int EDGE_LINK_MESSAGE_BYTES = 8 * 1024 * 1024;

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
        if (maxInFlight < 1 || maxInFlight > 1_000_000) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: 1..1000000)");
        }
    }

    /** Returns these limits with {@code maxInFlight} calls in flight at most. */
    public PushLimits withMaxInFlight(int maxInFlight) {
        return new PushLimits(maxPayloadBytes, defaultAckTimeoutMs, maxAckTimeoutMs, maxInFlight);
    }

    /**
     * Returns the largest gRPC message the port of the Push API takes, in a standalone gateway and a
     * control plane alike: a request with the largest payload, and the EdgeLink messages that a
     * control plane takes on the same port. A larger message is refused with RESOURCE_EXHAUSTED.
     */
    public int maxInboundMessageBytes() {
        return Math.max(maxPayloadBytes + REQUEST_FIELDS_BYTES, EDGE_LINK_MESSAGE_BYTES);
    }
}
