package io.frontier.status;

import java.util.Comparator;

/** Decides which of two connections of the same device wins; every implementation must agree on it. */
final class ConnectionOrder {

    /**
     * Orders connections oldest first: by connection time, then by connection id so that two connections
     * accepted in the same millisecond still have a winner every node agrees on.
     */
    static final Comparator<DeviceEntry> OLDEST_FIRST =
            Comparator.comparingLong(DeviceEntry::connectedAtMs).thenComparing(DeviceEntry::connId);

    private ConnectionOrder() {
    }

    /**
     * Returns what {@link UserStatus#connected} does when {@code reported} arrives while {@code recorded}
     * (null when none) is stored under the same key.
     */
    static ConnectResult judge(DeviceEntry recorded, DeviceEntry reported) {
        if (recorded == null) {
            return ConnectResult.added();
        }
        if (recorded.connId().equals(reported.connId())) {
            return ConnectResult.same();
        }
        return OLDEST_FIRST.compare(reported, recorded) > 0
                ? ConnectResult.replaced(recorded)
                : ConnectResult.stale(recorded);
    }
}
