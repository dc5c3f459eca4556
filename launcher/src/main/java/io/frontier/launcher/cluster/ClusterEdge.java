package io.frontier.launcher.cluster;

import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.discovery.EtcdDiscovery;
import io.frontier.discovery.Registration;
import io.frontier.edge.EdgeNode;
import io.frontier.edge.link.EdgeLinkClient;
import io.frontier.edge.link.EdgeLinkConfig;
import io.frontier.edge.routing.Route;
import io.frontier.edge.session.DeferredListener;
import io.frontier.launcher.EdgeRecords;
import io.frontier.launcher.Parts;
import io.frontier.launcher.health.NodeHealth;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge of a cluster: the device listeners, the edge's gRPC service, its registration
 * in etcd under a lease, its EdgeLink stream to a control plane found in etcd, and the
 * upstream routes watched in etcd.
 */
public final class ClusterEdge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterEdge.class);
    /** How long past the drain window the last Byes have to leave before the edge stops anyway. */
    private static final Duration LAST_BYES = Duration.ofSeconds(5);
    private static final long DRAIN_POLL_MS = 50;

    private final Parts parts;
    private final EdgeNode edge;
    private final EdgeLinkClient link;
    private final Server grpc;
    private final NodeHealth health;

    private ClusterEdge(Parts parts, EdgeNode edge, EdgeLinkClient link, Server grpc, NodeHealth health) {
        this.health = health;
        this.parts = parts;
        this.edge = edge;
        this.link = link;
        this.grpc = grpc;
    }

    /**
     * Starts the edge; what started is stopped again when a later part fails.
     *
     * @throws IOException when a port cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    public static ClusterEdge start(EdgeNodeConfig config) throws IOException, InterruptedException {
        return start(config, NodeHealth.start());
    }

    /**
     * As {@link #start(EdgeNodeConfig)}, reporting readiness to {@code health} (registered in etcd, EdgeLink
     * attached and synced, not draining), which it closes when it stops.
     */
    public static ClusterEdge start(EdgeNodeConfig config, NodeHealth health) throws IOException, InterruptedException {
        Parts parts = new Parts();
        parts.add(health);
        try {
            String instance = UUID.randomUUID().toString();
            String edgeId = config.edge().edgeId();
            InetAddress advertised = resolve(config.advertiseHost());
            DeferredListener listener = new DeferredListener();
            // Connection ids carry the advertised host and the TCP port: unique across edges, even on one machine.
            EdgeNode edge = parts.add(EdgeNode.start(config.edge().toBuilder()
                    .advertisedAddress(new InetSocketAddress(advertised, config.edge().tcp().port()))
                    .build(), listener, health.meters()));
            // The edge service never blocks (pushes go to the event loops, replies come back as
            // futures): no hop to gRPC's default executor per call.
            ClusterLinks links = parts.add(ClusterLinks.start(config.credentials()));
            Server grpc = parts.start(NettyServerBuilder.forAddress(
                            new InetSocketAddress(config.grpcHost(), config.grpcPort()), links.serverCredentials())
                    .directExecutor()
                    .addService(health.grpcService())
                    .addService(links.guard(edge.grpcService(), "edge service"))
                    .build(), config.grpcHost(), config.grpcPort(), "the edge service");
            String grpcAddress = config.advertiseHost() + ":" + grpc.getPort();
            EtcdDiscovery discovery = parts.add(EtcdDiscovery.connect(config.discovery()));

            AtomicReference<List<String>> controlPlanes = new AtomicReference<>(List.of());
            parts.add(discovery.watchControlPlanes(controlPlanes::set));
            Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
            parts.add(() -> channels.values().forEach(ManagedChannel::shutdownNow));
            EdgeLinkClient link = parts.add(new EdgeLinkClient(
                    EdgeLinkConfig.of(edgeId, instance, grpcAddress, config.version()), edge,
                    controlPlanes::get,
                    target -> channels.computeIfAbsent(target, t -> links.channel(t).build())));
            listener.set(link);
            link.start();

            Map<Integer, Route> staticRoutes = config.edge().upstream().routes();
            parts.add(discovery.watchRoutes(specs -> {
                Map<Integer, Route> routes = new HashMap<>(staticRoutes);
                specs.forEach((service, spec) -> {
                    try {
                        routes.put(service, Route.parse(spec));
                    } catch (IllegalArgumentException e) {
                        log.warn("route of service {} in etcd ignored: {}", service, e.getMessage());
                    }
                });
                edge.routes().update(routes);
                log.info("routes now: {}", routes);
            }));

            EdgeRecord record = EdgeRecords.of(edge, instance, config.advertiseHost(), config.advertiseHost(),
                    config.version()).setGrpcAddress(grpcAddress).build();
            Registration registration = parts.add(discovery.register(EtcdDiscovery.EDGES, edgeId, record::toByteArray));
            health.check(registration::isRegistered, "not registered in etcd")
                    .check(link::isSynced, "EdgeLink not attached, or its snapshot not applied yet")
                    .check(() -> !edge.admin().draining(), "draining")
                    .started();
            log.info("edge {} registered: gRPC {} ({}), devices on TCP {} and WebSocket {}", edgeId, grpcAddress,
                    links.describe(), record.getTcpAddress(), record.getWsAddress());
            // Parts stop in reverse order: the registration goes first, then the stream, then the devices get 503.
            return new ClusterEdge(parts, edge, link, grpc, health);
        } catch (IOException | InterruptedException | RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    public EdgeNode edge() {
        return edge;
    }

    /** Returns whether the EdgeLink stream is up and the control plane applied this edge's snapshot. */
    public boolean synced() {
        return link.isSynced();
    }

    /** Returns the port of the edge's gRPC service. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /**
     * Stops gracefully, as on SIGTERM: turns not ready at once, so that a load balancer sends no more devices
     * here; tells every device Bye 503 at a random moment within {@code window}, so that they come back to other
     * edges gradually, while pushes still reach those not told yet; then, once every device has gone (or the
     * window and a few seconds for the last Byes have passed), leaves etcd and stops.
     */
    public void stop(Duration window) {
        health.stopping();
        int closing = edge.admin().drain(DrainEdgeRequest.newBuilder()
                .setWindowMs((int) Math.min(Integer.MAX_VALUE, window.toMillis())).build()).getClosing();
        log.info("stopping: {} devices told to reconnect elsewhere within {} ms", closing, window.toMillis());
        long deadline = System.nanoTime() + window.plus(LAST_BYES).toNanos();
        while (edge.registry().size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        parts.close();
    }

    private static InetAddress resolve(String host) throws UnknownHostException {
        return InetAddress.getByName(host);
    }
}
