package io.frontier.status.pending;

import java.util.Objects;

/** A device whose messages are kept: a user's device id, whatever protocol it comes online with. */
public record DeviceId(String userId, String deviceId) {
    public DeviceId {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
