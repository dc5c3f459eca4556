package io.frontier.edge.internal.session;

/** What became of a push written without waiting for its ack. */
public enum PushWrite {
    /** Handed to the connection's socket. */
    WRITTEN,
    /** Dropped: the connection's write buffer is full, the device is not reading. */
    UNWRITABLE,
    /** Dropped: the connection is closed. */
    CLOSED
}
