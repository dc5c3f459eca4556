package io.frontier.status.pending;

/** What became of a kept message that is no longer kept, for the backends that subscribe to receipts. */
public record Receipt(DeviceId device, String messageId, Kind kind, long atMs) {
    /** Why a message is no longer kept. */
    public enum Kind {
        /** The device acknowledged it. */
        ACKNOWLEDGED,
        /** Its time to live passed first. */
        EXPIRED,
        /** The device held the most messages kept per device: the oldest went. */
        DROPPED,
        /** A newer message with its collapse key replaced it. */
        COLLAPSED
    }
}
