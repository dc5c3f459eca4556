package io.frontier.control.cluster;

import io.frontier.control.link.EdgeLinkService;
import io.frontier.status.UserStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the status store lost its data (a Redis restarted without persistence: its
 * epoch changed) and has every edge attached here send its snapshot again, so that
 * UserStatus is whole again within one check instead of staying empty.
 */
final class EpochWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EpochWatch.class);

    private final UserStatus status;
    private final EdgeLinkService edgeLink;
    // Ticker thread only.
    private String last;

    EpochWatch(UserStatus status, EdgeLinkService edgeLink) {
        this.status = status;
        this.edgeLink = edgeLink;
    }

    @Override
    public void run() {
        String current;
        try {
            current = status.epoch().toCompletableFuture().join();
        } catch (RuntimeException e) {
            return;
        }
        if (last != null && !last.equals(current)) {
            log.warn("the status store lost its data (epoch {} is now {}): asking every attached edge for its snapshot",
                    last, current);
            edgeLink.resyncAll("status store lost its data: send a snapshot");
        }
        last = current;
    }
}
