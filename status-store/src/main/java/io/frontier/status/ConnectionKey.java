package io.frontier.status;

/** One connection of one device, as an edge's snapshot lists it: what reconcile keeps. */
record ConnectionKey(DeviceKey key, String connId) {

    static ConnectionKey of(DeviceEntry entry) {
        return new ConnectionKey(DeviceKey.of(entry), entry.connId());
    }
}
