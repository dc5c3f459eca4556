package io.frontier.control.push;

import io.frontier.api.v1.NotifyReply;
import io.frontier.api.v1.OfflineNotification;
import java.util.concurrent.CompletableFuture;

/** Where pushes for offline smartphones go. Calls never block the caller. */
public interface OfflineNotifier extends AutoCloseable {
    /** Hands one push over; the future fails when the notifier cannot be reached. */
    CompletableFuture<NotifyReply> notify(OfflineNotification notification);

    @Override
    default void close() {
    }
}
