package io.frontier.control.cluster;

import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.status.UserStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps UserStatus and the directory of edges true to the cluster, for as long as it runs:
 * <ul>
 *   <li>the directory follows the edges' registrations, and an edge whose registration goes has its
 *       channel closed and its instance's entries removed at once;
 *   <li>at each tick, entries of edges missing from the registrations at two ticks in a row are
 *       removed (edges that went while no control plane watched), so that a dead edge's entries are
 *       gone within the lease TTL plus one sweep;
 *   <li>at start and at each tick, a status store whose epoch changed (it lost its data) has every
 *       edge attached here send its snapshot again, and reads of devices fail as unavailable until every
 *       live edge's snapshot was applied (or the rebuild timeout passed).
 * </ul>
 */
public final class ClusterUpkeep implements AutoCloseable {
    private final EdgeMembership.Subscription watch;
    private final Ticker ticker;

    private ClusterUpkeep(EdgeMembership.Subscription watch, Ticker ticker) {
        this.watch = watch;
        this.ticker = ticker;
    }

    /**
     * Starts watching {@code membership} and ticking on {@code ticker}, which this upkeep closes when it
     * is closed. Reads the store's epoch once before it returns, so that the first tick can tell a loss.
     *
     * @param directory the directory the control plane finds edges in; fed from {@code membership}
     * @param edges     the gateway whose channel to an edge that went is closed
     * @param status    the store whose entries of dead edges are removed
     * @param edgeLink  the streams of the edges attached here, asked for snapshots after a loss
     * @param rebuildTimeout how long after a loss reads wait at most for the live edges' snapshots
     * @param nanoClock the clock of that timeout, {@code System::nanoTime} but in tests
     */
    public static ClusterUpkeep start(EdgeMembership membership, EdgeDirectory directory, GrpcEdgeGateway edges,
                                      UserStatus status, EdgeLinkService edgeLink, Ticker ticker,
                                      Duration rebuildTimeout, LongSupplier nanoClock) {
        return start(membership, directory, edges, status, edgeLink, ticker, rebuildTimeout, nanoClock,
                new CompositeMeterRegistry());
    }

    /** As above, counting sweeps in {@code meters}, with a gauge of the edges known. */
    public static ClusterUpkeep start(EdgeMembership membership, EdgeDirectory directory, GrpcEdgeGateway edges,
                                      UserStatus status, EdgeLinkService edgeLink, Ticker ticker,
                                      Duration rebuildTimeout, LongSupplier nanoClock, MeterRegistry meters) {
        Gauge.builder("frontier.control.edges", directory, known -> known.all().size())
                .description("Edges registered in etcd, as this control plane knows them").register(meters);
        EdgeWatcher watcher = new EdgeWatcher(directory, edges, status);
        EdgeMembership.Subscription watch;
        try {
            watch = membership.watch(watcher);
        } catch (RuntimeException e) {
            ticker.close();
            throw e;
        }
        try {
            DeadEdgeSweeper sweeper = new DeadEdgeSweeper(status, directory, watcher::synced, meters);
            EpochWatch epochWatch = new EpochWatch(status, edgeLink, directory, watcher::synced, rebuildTimeout,
                    nanoClock);
            epochWatch.run();
            ticker.start(() -> {
                epochWatch.run();
                sweeper.run();
            });
        } catch (RuntimeException e) {
            ticker.close();
            watch.close();
            throw e;
        }
        return new ClusterUpkeep(watch, ticker);
    }

    /** Stops the ticks and the watch. */
    @Override
    public void close() {
        ticker.close();
        watch.close();
    }
}
