package io.frontier.launcher.cluster;

import io.frontier.api.v1.ControlPlaneRecord;
import io.frontier.control.admin.AdminServiceImpl;
import io.frontier.control.cluster.ClusterUpkeep;
import io.frontier.control.cluster.Ticker;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.control.events.EventNotifier;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.control.metrics.ApiCallMetrics;
import io.frontier.control.metrics.EdgeCallMetrics;
import io.frontier.control.metrics.MeteredUserStatus;
import io.frontier.control.metrics.PushMetrics;
import io.frontier.control.push.GrpcOfflineNotifier;
import io.frontier.control.push.OfflineNotifier;
import io.frontier.control.push.PushDeadlines;
import io.frontier.control.push.PushServiceImpl;
import io.frontier.control.status.StatusUpdater;
import io.frontier.discovery.EtcdDiscovery;
import io.frontier.discovery.Registration;
import io.frontier.launcher.Parts;
import io.frontier.launcher.health.NodeHealth;
import io.frontier.status.RedisUserStatus;
import io.frontier.status.UserStatus;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
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
    private final Server link;
    private final EdgeLinkService edgeLink;
    private final NodeHealth health;
    private final Registration registration;

    private ClusterControlPlane(Parts parts, Server grpc, Server link, EdgeLinkService edgeLink, NodeHealth health,
                                Registration registration) {
        this.health = health;
        this.registration = registration;
        this.parts = parts;
        this.grpc = grpc;
        this.link = link;
        this.edgeLink = edgeLink;
    }

    /**
     * Starts the replica; what started is stopped again when a later part fails.
     *
     * @throws IOException when the gRPC port cannot be bound
     */
    public static ClusterControlPlane start(ControlPlaneConfig config) throws IOException {
        return start(config, NodeHealth.start());
    }

    /**
     * As {@link #start(ControlPlaneConfig)}, reporting readiness to {@code health} (Redis answers, registered in
     * etcd), which it closes when it stops.
     */
    public static ClusterControlPlane start(ControlPlaneConfig config, NodeHealth health) throws IOException {
        Parts parts = new Parts();
        parts.add(health);
        try {
            String instance = UUID.randomUUID().toString();
            UserStatus status = new MeteredUserStatus(parts.add(RedisUserStatus.connect(config.redis())),
                    health.meters());
            EtcdDiscovery discovery = parts.add(EtcdDiscovery.connect(config.discovery()));
            EdgeDirectory directory = new EdgeDirectory();
            // Direct executors here and on the server below: every handler and callback of ours is
            // asynchronous, and a hop to gRPC's default executor per call and per reply cost more CPU
            // than the push itself (BENCHMARKS.md, cluster push path).
            ClusterLinks links = parts.add(ClusterLinks.start(config.credentials()));
            GrpcEdgeGateway edges = parts.add(new GrpcEdgeGateway(directory,
                    target -> links.channel(target).directExecutor().build(), Duration.ofSeconds(5)));
            EventNotifier events = config.events() == null ? null
                    : parts.add(new EventNotifier(config.events(), health.meters()));
            OfflineNotifier notifier = config.offlineNotifier() == null ? null
                    : parts.add(new GrpcOfflineNotifier(config.offlineNotifier(), Duration.ofSeconds(3)));
            StatusUpdater updater = new StatusUpdater(status, edges, events, Clock.systemUTC());
            EdgeLinkService edgeLink = new EdgeLinkService(updater, config.maxSnapshot());
            parts.add(ClusterUpkeep.start(discovery.edgeMembership(), directory, edges, status, edgeLink,
                    Ticker.every(config.sweepInterval(), "frontier-sweep"), config.rebuildTimeout(), System::nanoTime,
                    health.meters()));
            // EdgeLink has a port of its own: the cluster's credentials guard it, and the APIs' callers need none of them.
            Server link = parts.start(NettyServerBuilder.forAddress(
                            new InetSocketAddress(config.linkHost(), config.linkPort()), links.serverCredentials())
                    .directExecutor()
                    .addService(health.grpcService())
                    .addService(links.guard(edgeLink, "EdgeLink"))
                    .build(), config.linkHost(), config.linkPort(), "EdgeLink");
            Server grpc = parts.start(NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcHost(), config.grpcPort()))
                    .directExecutor()
                    .addService(health.grpcService())
                    .addService(ApiCallMetrics.intercept(config.access().push(new PushServiceImpl(status, edges,
                            config.pushLimits(), notifier, PushDeadlines.DEFAULTS, new PushMetrics(health.meters()),
                            new EdgeCallMetrics(health.meters(), edgeId -> directory.get(edgeId).isPresent()))),
                            "frontier.push", health.meters(), true))
                    .addService(ApiCallMetrics.intercept(config.access().admin(new AdminServiceImpl(status, edges,
                            discovery.routeStore(), Clock.systemUTC())), "frontier.admin", health.meters(), false))
                    .maxInboundMessageSize(config.pushLimits().maxInboundMessageBytes())
                    .build(), config.grpcHost(), config.grpcPort(), "the Push and Admin APIs");
            String address = config.advertiseHost() + ":" + grpc.getPort();
            String linkAddress = config.advertiseHost() + ":" + link.getPort();
            ControlPlaneRecord record = ControlPlaneRecord.newBuilder()
                    .setId(config.id())
                    .setInstanceId(instance)
                    .setGrpcAddress(address)
                    .setLinkAddress(linkAddress)
                    .setVersion(config.version())
                    .setStartedAtMs(System.currentTimeMillis())
                    .build();
            Registration registration = parts.add(discovery.register(EtcdDiscovery.CONTROL_PLANES, config.id(),
                    record::toByteArray));
            health.probe("Redis", status::epoch, Duration.ofSeconds(1))
                    .check(registration::isRegistered, "not registered in etcd")
                    .started();
            log.info("control plane {} serving the Push and Admin APIs on {} ({}), EdgeLink on {} ({}); registered: {}",
                    config.id(), address, config.access().describe(), linkAddress, links.describe(),
                    registration.isRegistered());
            // Parts stop in reverse order of start: the registration goes first, so nobody is sent here any more.
            return new ClusterControlPlane(parts, grpc, link, edgeLink, health, registration);
        } catch (IOException | RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /** Returns the port of the Push and Admin APIs. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** Returns the port of EdgeLink. */
    public int linkPort() {
        return link.getPort();
    }

    /** Returns the edges attached to this replica now. */
    public Set<String> attachedEdges() {
        return edgeLink.attachedEdges().keySet();
    }

    /**
     * Stops gracefully, as on SIGTERM: turns not ready and leaves etcd at once, so that edges and callers that
     * find control planes there go elsewhere, goes on answering for {@code window} meanwhile, then stops taking
     * calls and finishes those under way.
     */
    public void stop(Duration window) {
        health.stopping();
        registration.close();
        log.info("stopping: left etcd; answering for {} ms more", window.toMillis());
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        parts.close();
    }
}
