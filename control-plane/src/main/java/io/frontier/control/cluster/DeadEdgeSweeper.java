package io.frontier.control.cluster;

import io.frontier.control.edges.EdgeDirectory;
import io.frontier.status.UserStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the UserStatus entries of edges that are gone, even when an edge's lease
 * expired while no control plane watched (the watch's delete purges at once otherwise).
 * An edge must be missing from the registrations at two sweeps in a row before its entries go, so
 * that an edge registered a moment ago, which the watch has not reported yet, keeps them.
 * Entries of an edge's past lives go when it attaches: its snapshot replaces them.
 */
final class DeadEdgeSweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DeadEdgeSweeper.class);

    private final UserStatus status;
    private final EdgeDirectory directory;
    private final BooleanSupplier directorySynced;
    // Ticker thread only: the edges found missing at the last sweep.
    private Set<String> missingBefore = Set.of();

    private final Counter sweeps;
    private final Counter purgedEdges;
    private final Counter purgedEntries;

    DeadEdgeSweeper(UserStatus status, EdgeDirectory directory, BooleanSupplier directorySynced, MeterRegistry meters) {
        this.sweeps = Counter.builder("frontier.control.sweeps")
                .description("Sweeps of the status store for entries of edges that are gone").register(meters);
        this.purgedEdges = Counter.builder("frontier.control.sweep.purged.edges")
                .description("Edges found gone whose entries a sweep removed").register(meters);
        this.purgedEntries = Counter.builder("frontier.control.sweep.purged.entries")
                .description("Entries of edges that are gone, removed by sweeps").register(meters);
        this.status = status;
        this.directory = directory;
        this.directorySynced = directorySynced;
    }

    @Override
    public void run() {
        if (!directorySynced.getAsBoolean()) {
            return;
        }
        sweeps.increment();
        try {
            Set<String> missing = new HashSet<>();
            for (String edgeId : status.knownEdges().toCompletableFuture().join()) {
                if (directory.get(edgeId).isPresent()) {
                    continue;
                }
                missing.add(edgeId);
                if (missingBefore.contains(edgeId)) {
                    int removed = status.purgeEdgeExcept(edgeId, null).toCompletableFuture().join();
                    purgedEdges.increment();
                    purgedEntries.increment(removed);
                    log.info("edge {} is gone: removed its {} entries", edgeId, removed);
                }
            }
            missingBefore = missing;
        } catch (RuntimeException e) {
            log.warn("sweep of dead edges failed: {}", e.toString());
        }
    }
}
