package io.frontier.launcher;

import io.frontier.control.admin.AdminServiceImpl;
import io.frontier.control.events.EventNotifier;
import io.frontier.control.metrics.ApiCallMetrics;
import io.frontier.control.metrics.EdgeCallMetrics;
import io.frontier.control.metrics.PushMetrics;
import io.frontier.control.push.GrpcOfflineNotifier;
import io.frontier.control.push.OfflineNotifier;
import io.frontier.control.push.PushDeadlines;
import io.frontier.control.push.PushServiceImpl;
import io.frontier.control.status.StatusUpdater;
import io.frontier.edge.EdgeNode;
import io.frontier.launcher.health.NodeHealth;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * A control plane and an edge in one process, UserStatus read from the edge's sessions: the
 * default for trying Frontier out and for development. The same parts as a cluster's
 * nodes, with local ones where a cluster has Redis, etcd and the network between them.
 */
final class Standalone implements AutoCloseable {
    private final Parts parts;
    private final EdgeNode edge;
    private final Server grpc;

    private Standalone(Parts parts, EdgeNode edge, Server grpc) {
        this.parts = parts;
        this.edge = edge;
        this.grpc = grpc;
    }

    /**
     * Starts every part, or none: what started is stopped again when a later part fails.
     *
     * @throws IOException when the gRPC port cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    static Standalone start(StandaloneConfig config) throws IOException, InterruptedException {
        return start(config, NodeHealth.start());
    }

    /** As {@link #start(StandaloneConfig)}, reporting readiness to {@code health}, which it closes when it stops. */
    static Standalone start(StandaloneConfig config, NodeHealth health) throws IOException, InterruptedException {
        Parts parts = new Parts();
        parts.add(health);
        try {
            EdgeSessionStatus status = parts.add(new EdgeSessionStatus());
            LocalEdgeGateway gateway = new LocalEdgeGateway();
            String instance = UUID.randomUUID().toString();
            // Stopped after the edge: the disconnects of its closing devices still go out, within the notifier's close timeout.
            EventNotifier events = config.events() == null ? null
                    : parts.add(new EventNotifier(config.events(), health.meters()));
            OfflineNotifier notifier = config.offlineNotifier() == null ? null
                    : parts.add(new GrpcOfflineNotifier(config.offlineNotifier(), Duration.ofSeconds(3)));
            StatusUpdater updater = new StatusUpdater(status, gateway, events, Clock.systemUTC());
            EdgeNode edge = parts.add(EdgeNode.start(config.edge(),
                    new StatusReporter(updater, config.edge().edgeId(), instance), health.meters()));
            status.attach(edge, instance);
            gateway.attach(edge, EdgeRecords.of(edge, instance, config.edge().tcp().host(), config.edge().ws().host(),
                    Main.VERSION).build());
            // The Push and Admin APIs never block: no hop to gRPC's default executor per call.
            Server grpc = parts.start(NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcHost(), config.grpcPort()))
                    .directExecutor()
                    .addService(health.grpcService())
                    .addService(ApiCallMetrics.intercept(config.access().push(new PushServiceImpl(status, gateway,
                            config.pushLimits(), notifier, PushDeadlines.DEFAULTS, new PushMetrics(health.meters()),
                            new EdgeCallMetrics(health.meters(), any -> true))), "frontier.push", health.meters(), true))
                    .addService(ApiCallMetrics.intercept(config.access().admin(new AdminServiceImpl(status, gateway,
                            new LocalRouteStore(edge.routes(), config.edge().upstream().routes()), Clock.systemUTC())),
                            "frontier.admin", health.meters(), false))
                    .maxInboundMessageSize(config.pushLimits().maxInboundMessageBytes())
                    .build(), config.grpcHost(), config.grpcPort(), "the Push and Admin APIs");
            health.check(() -> !edge.admin().draining(), "draining");
            health.started();
            // Parts stop in reverse order: the APIs take no more calls, then the devices get 503.
            return new Standalone(parts, edge, grpc);
        } catch (IOException | InterruptedException | RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    EdgeNode edge() {
        return edge;
    }

    /** Returns the address of the Push and Admin APIs. */
    InetSocketAddress grpcAddress() {
        return (InetSocketAddress) grpc.getListenSockets().get(0);
    }

    @Override
    public void close() {
        parts.close();
    }
}
