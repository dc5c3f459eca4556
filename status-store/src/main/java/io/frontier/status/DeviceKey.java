package io.frontier.status;

import io.frontier.api.v1.ClientType;
import java.util.Comparator;

/** What identifies an entry: a user holds at most one entry per key. */
record DeviceKey(String userId, ClientType clientType, String deviceId) {

    /** The order of {@link UserStatus#devices} within one user: TCP before WS, then by device id. */
    static final Comparator<DeviceKey> WITHIN_USER =
            Comparator.comparingInt((DeviceKey key) -> key.clientType().getNumber())
                    .thenComparing(DeviceKey::deviceId);

    static DeviceKey of(DeviceEntry entry) {
        return new DeviceKey(entry.userId(), entry.clientType(), entry.deviceId());
    }
}
