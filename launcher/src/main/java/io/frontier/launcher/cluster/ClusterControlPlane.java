package io.frontier.launcher.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.ControlPlaneRecord;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.admin.AdminServiceImpl;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.control.events.EventNotifier;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.control.push.GrpcOfflineNotifier;
import io.frontier.control.push.OfflineNotifier;
import io.frontier.control.push.PushServiceImpl;
import io.frontier.control.status.StatusUpdater;
import io.frontier.discovery.EtcdDiscovery;
import io.frontier.discovery.Registration;
import io.frontier.discovery.Watch;
import io.frontier.discovery.WatchListener;
import io.frontier.status.RedisUserStatus;
import io.frontier.status.UserStatus;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane replica of a cluster: EdgeLink and the Push API over gRPC, UserStatus
 * in Redis, edges and replicas in etcd. Stateless: any replica serves any call, and one
 * may be killed and started again at any time.
 */
public final class ClusterControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterControlPlane.class);

    private final Parts parts;
    private final Server grpc;
    private final EdgeLinkService edgeLink;

    private ClusterControlPlane(Parts parts, Server grpc, EdgeLinkService edgeLink) {
        this.parts = parts;
        this.grpc = grpc;
        this.edgeLink = edgeLink;
    }

    /**
     * Starts the replica; what started is stopped again when a later part fails.
     *
     * @throws IOException when the gRPC port cannot be bound
     */
    public static ClusterControlPlane start(ControlPlaneConfig config) throws IOException {
        Parts parts = new Parts();
        try {
            String instance = UUID.randomUUID().toString();
            UserStatus status = parts.add(RedisUserStatus.connect(config.redis()));
            EtcdDiscovery discovery = parts.add(EtcdDiscovery.connect(config.discovery()));
            EdgeDirectory directory = new EdgeDirectory();
            // Direct executors here and on the server below: every handler and callback of ours is
            // asynchronous, and a hop to gRPC's default executor per call and per reply cost more CPU
            // than the push itself (BENCHMARKS.md, cluster push path).
            GrpcEdgeGateway edges = parts.add(new GrpcEdgeGateway(directory,
                    target -> NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().build(),
                    Duration.ofSeconds(5)));
            EdgeWatcher watcher = new EdgeWatcher(directory, edges, status);
            parts.add(discovery.watch(EtcdDiscovery.EDGES, watcher));
            EventNotifier events = config.events() == null ? null : parts.add(new EventNotifier(config.events()));
            OfflineNotifier notifier = config.offlineNotifier() == null ? null
                    : parts.add(new GrpcOfflineNotifier(config.offlineNotifier(), Duration.ofSeconds(3)));
            StatusUpdater updater = new StatusUpdater(status, edges, events, Clock.systemUTC());
            EdgeLinkService edgeLink = new EdgeLinkService(updater, config.maxSnapshot());
            Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcHost(), config.grpcPort()))
                    .directExecutor()
                    .addService(edgeLink)
                    .addService(config.access().push(new PushServiceImpl(status, edges, config.pushLimits(), notifier)))
                    .addService(config.access().admin(new AdminServiceImpl(status, edges, new EtcdRouteStore(discovery),
                            Clock.systemUTC())))
                    .maxInboundMessageSize(8 * 1024 * 1024)
                    .build();
            try {
                grpc.start();
            } catch (IOException e) {
                throw new IOException("cannot listen on " + config.grpcHost() + ":" + config.grpcPort()
                        + " for EdgeLink and the Push and Admin APIs: " + rootMessage(e), e);
            }
            parts.add(() -> {
                grpc.shutdown();
                if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                    grpc.shutdownNow();
                }
            });
            String address = config.advertiseHost() + ":" + grpc.getPort();
            ControlPlaneRecord record = ControlPlaneRecord.newBuilder()
                    .setId(config.id())
                    .setInstanceId(instance)
                    .setGrpcAddress(address)
                    .setVersion(config.version())
                    .setStartedAtMs(System.currentTimeMillis())
                    .build();
            Registration registration = parts.add(discovery.register(EtcdDiscovery.CONTROL_PLANES, config.id(),
                    record::toByteArray));
            ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "frontier-sweep");
                t.setDaemon(true);
                return t;
            });
            parts.add(sweeps::shutdownNow);
            long sweepMs = config.sweepInterval().toMillis();
            DeadEdgeSweeper sweeper = new DeadEdgeSweeper(status, directory, watcher::synced);
            EpochWatch epochWatch = new EpochWatch(status, edgeLink);
            epochWatch.run();
            sweeps.scheduleWithFixedDelay(() -> {
                epochWatch.run();
                sweeper.run();
            }, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
            log.info("control plane {} serving EdgeLink and the Push and Admin APIs on {} ({}; registered: {})", config.id(),
                    address, config.access().describe(), registration.isRegistered());
            // Parts stop in reverse order of start: the registration goes first, so nobody is sent here any more.
            return new ClusterControlPlane(parts, grpc, edgeLink);
        } catch (IOException | RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /** Returns the port of EdgeLink and the Push API. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** Returns the edges attached to this replica now. */
    public java.util.Set<String> attachedEdges() {
        return edgeLink.attachedEdges().keySet();
    }

    @Override
    public void close() {
        parts.close();
    }



    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** Keeps the directory of edges current, and purges an edge's entries the moment its lease goes. */
    private static final class EdgeWatcher implements WatchListener {
        private final EdgeDirectory directory;
        private final GrpcEdgeGateway edges;
        private final UserStatus status;
        private volatile boolean synced;

        EdgeWatcher(EdgeDirectory directory, GrpcEdgeGateway edges, UserStatus status) {
            this.directory = directory;
            this.edges = edges;
            this.status = status;
        }

        boolean synced() {
            return synced;
        }

        @Override
        public void onPut(String id, byte[] value) {
            EdgeRecord record = parse(id, value);
            if (record != null) {
                directory.put(record);
            }
        }

        @Override
        public void onDelete(String id, byte[] previousValue) {
            EdgeRecord record = parse(id, previousValue);
            directory.remove(id);
            if (record == null) {
                return;
            }
            edges.forget(record);
            status.purgeEdge(id, record.getInstanceId()).whenComplete((removed, error) -> {
                if (error != null) {
                    log.warn("edge {} is gone, but its entries were not removed now ({}); the sweep will", id, error.toString());
                } else {
                    log.info("edge {} is gone: removed its {} entries", id, removed);
                }
            });
        }

        @Override
        public void onSynced() {
            synced = true;
        }

        private static EdgeRecord parse(String id, byte[] value) {
            try {
                return EdgeRecord.parseFrom(value);
            } catch (InvalidProtocolBufferException e) {
                log.warn("edge {}: unreadable record in etcd: {}", id, e.getMessage());
                return null;
            }
        }
    }
}
