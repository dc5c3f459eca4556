package io.frontier.status.pending;

/** The store holds its most bytes in all: the message is not kept (the caller may retry later). */
public final class PendingStoreFullException extends RuntimeException {
    public PendingStoreFullException(String message) {
        super(message, null, false, false);
    }
}
