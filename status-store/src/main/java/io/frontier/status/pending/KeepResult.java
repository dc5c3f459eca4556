package io.frontier.status.pending;

import java.util.List;

/**
 * What keeping a message did.
 *
 * @param message   the message kept, with its place in the queue; when {@code duplicate}, the one kept before
 * @param duplicate whether the device held a message of that id already, which stays as it was
 * @param gone      the messages it put out of the queue: the one it collapsed, the oldest past the bound
 */
public record KeepResult(PendingMessage message, boolean duplicate, List<Receipt> gone) {
    public KeepResult {
        gone = List.copyOf(gone);
    }
}
