package io.frontier.launcher;

import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.admin.AdminServiceImpl;
import io.frontier.control.events.EventNotifier;
import io.frontier.control.push.PushServiceImpl;
import io.frontier.control.status.StatusUpdater;
import io.frontier.edge.EdgeNode;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A control plane and an edge in one process with the in-memory UserStatus: the
 * default for trying Frontier out and for development.
 */
final class Standalone implements AutoCloseable {
    private final InMemoryUserStatus status;
    private final EdgeNode edge;
    private final Server grpc;
    private final EventNotifier events;

    private Standalone(InMemoryUserStatus status, EdgeNode edge, Server grpc, EventNotifier events) {
        this.status = status;
        this.edge = edge;
        this.grpc = grpc;
        this.events = events;
    }

    /**
     * Starts every part, or none: what started is stopped again when a later part fails.
     *
     * @throws IOException when the gRPC port cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    static Standalone start(StandaloneConfig config) throws IOException, InterruptedException {
        InMemoryUserStatus status = new InMemoryUserStatus();
        LocalEdgeGateway gateway = new LocalEdgeGateway();
        String instance = UUID.randomUUID().toString();
        EdgeNode edge = null;
        EventNotifier events = null;
        try {
            events = config.events() == null ? null : new EventNotifier(config.events());
            StatusUpdater updater = new StatusUpdater(status, gateway, events, Clock.systemUTC());
            edge = EdgeNode.start(config.edge(), new StatusReporter(updater, config.edge().edgeId(), instance));
            gateway.attach(edge, EdgeRecord.newBuilder()
                    .setEdgeId(edge.edgeId())
                    .setInstanceId(instance)
                    .setTcpAddress(hostPort(config.edge().tcp().host(), edge.tcpAddress().getPort()))
                    .setWsAddress(hostPort(config.edge().ws().host(), edge.wsAddress().getPort()))
                    .setConnIdAddress(edge.advertisedAddress().getAddress().getHostAddress() + ":"
                            + edge.advertisedAddress().getPort())
                    .setVersion(Main.VERSION)
                    .setStartedAtMs(System.currentTimeMillis())
                    .build());
            // The Push and Admin APIs never block: no hop to gRPC's default executor per call.
            Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcHost(), config.grpcPort()))
                    .directExecutor()
                    .addService(config.access().push(new PushServiceImpl(status, gateway, config.pushLimits())))
                    .addService(config.access().admin(new AdminServiceImpl(status, gateway,
                            new LocalRouteStore(edge.routes(), config.edge().upstream().routes()), Clock.systemUTC())))
                    .maxInboundMessageSize(config.pushLimits().maxPayloadBytes() + 64 * 1024)
                    .build();
            try {
                grpc.start();
            } catch (IOException e) {
                throw new IOException("cannot listen on " + config.grpcHost() + ":" + config.grpcPort()
                        + " for the Push and Admin APIs: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            }
            return new Standalone(status, edge, grpc, events);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (edge != null) {
                edge.close();
            }
            if (events != null) {
                events.close();
            }
            status.close();
            throw e;
        }
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
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
        grpc.shutdown();
        edge.close();
        try {
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // After the edge: the disconnects of its closing devices still go out, within the notifier's close timeout.
        if (events != null) {
            events.close();
        }
        status.close();
    }
}
