package io.frontier.status.pending;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One message kept for a device: what the device is sent again until it acknowledges it, and when it expires.
 *
 * @param messageId   the backend's id or the gateway's (PROTOCOL.md 5.1); one message per device and id
 * @param seq         its place in the device's queue, given by the store when it keeps it (0 before)
 * @param acceptedAtMs when the gateway accepted it
 * @param expiresAtMs when it is dropped unless acknowledged
 * @param collapseKey empty, or the key whose newer message replaces this one while it waits
 */
public record PendingMessage(String messageId, long seq, long acceptedAtMs, long expiresAtMs, String collapseKey,
                             ByteString payload, String payloadType, int service, long logid) {
    public PendingMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(collapseKey, "collapseKey");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(payloadType, "payloadType");
        if (expiresAtMs <= acceptedAtMs) {
            throw new IllegalArgumentException("expiresAtMs " + expiresAtMs + " not after acceptedAtMs " + acceptedAtMs);
        }
    }

    /** Returns this message at {@code seq} of its device's queue. */
    PendingMessage at(long seq) {
        return new PendingMessage(messageId, seq, acceptedAtMs, expiresAtMs, collapseKey, payload, payloadType,
                service, logid);
    }

    /** Returns the bytes it holds in a store, as the bound in all counts them. */
    long size() {
        return (long) messageId.length() + collapseKey.length() + payloadType.length() + payload.size() + 64;
    }
}
