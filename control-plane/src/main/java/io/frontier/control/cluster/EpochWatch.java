package io.frontier.control.cluster;

import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.status.UserStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the status store lost its data (a Redis restarted without persistence: its epoch changed),
 * has every edge attached here send its snapshot again, and adopts the new epoch only once every live edge's
 * snapshot was applied in it (through whichever control plane it is attached to), or once the rebuild
 * timeout passed. Until then reads of devices fail as unavailable: a device whose edge has not reported
 * again is missing from the store, and saying that it is offline would be false.
 */
final class EpochWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EpochWatch.class);
    /** Edges named at most in the log line of a timed-out rebuild. */
    private static final int NAMED_AT_MOST = 5;

    private final UserStatus status;
    private final EdgeLinkService edgeLink;
    private final EdgeDirectory directory;
    private final BooleanSupplier directorySynced;
    private final long rebuildTimeoutNanos;
    private final LongSupplier nanoClock;
    // Ticker thread only.
    private String adopted;
    private String pending;
    private long pendingSince;

    EpochWatch(UserStatus status, EdgeLinkService edgeLink, EdgeDirectory directory, BooleanSupplier directorySynced,
               Duration rebuildTimeout, LongSupplier nanoClock) {
        this.status = status;
        this.edgeLink = edgeLink;
        this.directory = directory;
        this.directorySynced = directorySynced;
        this.rebuildTimeoutNanos = rebuildTimeout.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void run() {
        String current;
        try {
            current = status.epoch().toCompletableFuture().join();
        } catch (RuntimeException e) {
            return;
        }
        if (adopted == null) {
            // At start the store is taken as it is: edges attached elsewhere keep it whole.
            adopt(current);
            return;
        }
        if (current.equals(adopted)) {
            pending = null;
            return;
        }
        if (!current.equals(pending)) {
            log.warn("the status store lost its data (epoch {} is now {}): asking every attached edge for its snapshot;"
                    + " reads of devices are unavailable until every live edge has sent one", adopted, current);
            edgeLink.resyncAll("status store lost its data: send a snapshot");
            pending = current;
            pendingSince = nanoClock.getAsLong();
        }
        List<String> missing = edgesNotSynced(current);
        if (missing.isEmpty()) {
            log.info("every live edge sent its snapshot: epoch {} adopted, reads of devices answer again", current);
            adopt(current);
        } else if (nanoClock.getAsLong() - pendingSince >= rebuildTimeoutNanos) {
            log.warn("epoch {} adopted after the rebuild timeout, though {} live edges have not sent a snapshot"
                    + " (their devices read as offline until they do): {}", current, missing.size(),
                    missing.subList(0, Math.min(NAMED_AT_MOST, missing.size())));
            adopt(current);
        }
    }

    private void adopt(String epoch) {
        status.adoptEpoch(epoch);
        adopted = epoch;
        pending = null;
    }

    /** Returns the live edges whose current instance has no snapshot applied in {@code epoch}. */
    private List<String> edgesNotSynced(String epoch) {
        List<String> missing = new ArrayList<>();
        if (!directorySynced.getAsBoolean()) {
            missing.add("(the list of live edges is not read yet)");
            return missing;
        }
        Map<String, String> synced;
        try {
            synced = status.syncedEdges(epoch).toCompletableFuture().join();
        } catch (RuntimeException e) {
            missing.add("(the status store did not answer)");
            return missing;
        }
        for (EdgeRecord edge : directory.all()) {
            if (!edge.getInstanceId().equals(synced.get(edge.getEdgeId()))) {
                missing.add(edge.getEdgeId());
            }
        }
        return missing;
    }
}
