package io.frontier.acceptance;

import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A cluster of real processes: {@code redis-server}, {@code etcd}, and control planes and edges run from
 * the distribution's {@code bin/frontier} with its example configs, on free loopback ports. Leases are
 * short (2 s) and sweeps frequent (1 s), so that dead nodes are forgotten within a test's patience.
 */
final class LocalCluster implements AutoCloseable {
    static final Duration LEASE_TTL = Duration.ofSeconds(2);
    static final Duration SWEEP = Duration.ofSeconds(1);
    static final Map<String, String> ENV = Map.of("FRONTIER_JWT_SECRET", StandaloneGateway.SECRET);

    /** One node and the ports it serves on. */
    record Node(FrontierNode process, int grpcPort, int tcpPort, int wsPort) {
        String grpcTarget() {
            return "127.0.0.1:" + grpcPort;
        }
    }

    private final RedisServer redis = new RedisServer();
    private final EtcdServer etcd = new EtcdServer();
    private final String namespace = "/acceptance-" + Long.toHexString(System.nanoTime());
    private final List<Node> controlPlanes = new ArrayList<>();
    private final List<Node> edges = new ArrayList<>();
    private final List<String> controlPlaneArgs;

    private LocalCluster(List<String> controlPlaneArgs) {
        this.controlPlaneArgs = controlPlaneArgs;
    }

    /** Starts Redis, etcd, {@code controlPlanes} control planes, then {@code edges} edges, each attached. */
    static LocalCluster start(int controlPlanes, int edges, String... controlPlaneArgs) {
        LocalCluster cluster = new LocalCluster(List.of(controlPlaneArgs));
        try {
            cluster.redis.start();
            cluster.etcd.start();
            for (int i = 1; i <= controlPlanes; i++) {
                cluster.addControlPlane("cp-" + i);
            }
            for (int i = 1; i <= edges; i++) {
                cluster.addEdge("edge-" + i);
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private List<String> discovery() {
        return List.of("--etcd", etcd.endpoint(), "--etcd-namespace", namespace,
                "--lease-ttl", LEASE_TTL.toSeconds() + "s", "--advertise-host", "127.0.0.1");
    }

    Node addControlPlane(String id) {
        int grpc = Ports.free();
        List<String> args = new ArrayList<>(List.of("control-plane",
                "--config", Distribution.home().resolve("conf/control-plane.properties").toString(),
                "--id", id, "--grpc-host", "127.0.0.1", "--grpc-port", "" + grpc,
                "--redis-address", redis.uri(), "--sweep-interval", SWEEP.toMillis() + "ms"));
        args.addAll(discovery());
        args.addAll(controlPlaneArgs);
        Node node = new Node(FrontierNode.of(id, ENV, args.toArray(String[]::new)).startRunning(), grpc, -1, -1);
        controlPlanes.add(node);
        return node;
    }

    Node addEdge(String id) {
        int grpc = Ports.free();
        int tcp = Ports.free();
        int ws = Ports.free();
        List<String> args = new ArrayList<>(List.of("edge",
                "--config", Distribution.home().resolve("conf/edge.properties").toString(),
                "--edge-id", id, "--grpc-host", "127.0.0.1", "--grpc-port", "" + grpc,
                "--tcp-host", "127.0.0.1", "--tcp-port", "" + tcp, "--ws-host", "127.0.0.1", "--ws-port", "" + ws));
        args.addAll(discovery());
        FrontierNode process = FrontierNode.of(id, ENV, args.toArray(String[]::new)).startRunning();
        process.awaitOutput("edgelink: attached to", FrontierNode.START);
        Node node = new Node(process, grpc, tcp, ws);
        edges.add(node);
        return node;
    }

    RedisServer redis() {
        return redis;
    }

    Node controlPlane(int i) {
        return controlPlanes.get(i);
    }

    Node edge(int i) {
        return edges.get(i);
    }

    /** The control plane {@code edge} is attached to now (by its latest "attached to" log line). */
    Node controlPlaneOf(Node edge) {
        Matcher attached = java.util.regex.Pattern.compile("edgelink: attached to 127\\.0\\.0\\.1:(\\d+)")
                .matcher(edge.process().output());
        int port = -1;
        while (attached.find()) {
            port = Integer.parseInt(attached.group(1));
        }
        for (Node cp : controlPlanes) {
            if (cp.grpcPort() == port) {
                return cp;
            }
        }
        throw new IllegalStateException(edge.process() + " is attached to no control plane of this cluster");
    }

    /** Runs {@code ctl ARGS} with the cluster's token secret; the caller names {@code --target}. */
    Ctl.Result ctl(String... args) {
        return Ctl.run(ENV, args);
    }

    String token(String user, String device) {
        return Jwt.mint(StandaloneGateway.SECRET, user, device);
    }

    @Override
    public void close() {
        edges.forEach(node -> node.process().close());
        controlPlanes.forEach(node -> node.process().close());
        etcd.close();
        redis.close();
    }
}
