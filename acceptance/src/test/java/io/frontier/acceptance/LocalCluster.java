package io.frontier.acceptance;

import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import io.frontier.testing.ThrowawayCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * A cluster of real processes: {@code redis-server}, {@code etcd}, and control planes and edges run from
 * the distribution's {@code bin/frontier} with its example configs, on free loopback ports. The nodes
 * authenticate each other with mutual TLS, each with a certificate of a throwaway CA that names it, as a
 * secure deployment does. Leases are short (2 s) and sweeps frequent (1 s), so that dead nodes are forgotten
 * within a test's patience.
 */
final class LocalCluster implements AutoCloseable {
    static final Duration LEASE_TTL = Duration.ofSeconds(2);
    static final Duration SWEEP = Duration.ofSeconds(1);
    /** How long a control plane answers after it left etcd on SIGTERM. */
    static final Duration CONTROL_PLANE_DRAIN = Duration.ofSeconds(1);
    /** The window over which an edge told its devices Bye 503 on SIGTERM. */
    static final Duration EDGE_DRAIN = Duration.ofSeconds(2);
    static final Map<String, String> ENV = Map.of("FRONTIER_JWT_SECRET", StandaloneGateway.SECRET);

    /**
     * One node and the ports it serves on; {@code linkPort} is a control plane's EdgeLink, -1 for an edge;
     * {@code healthPort} its HTTP /metrics, /livez and /readyz; {@code args} what it was started with.
     */
    record Node(FrontierNode process, int grpcPort, int linkPort, int tcpPort, int wsPort, int healthPort,
                List<String> args) {
        String id() {
            return process.name();
        }

        String grpcTarget() {
            return "127.0.0.1:" + grpcPort;
        }

        String linkTarget() {
            return "127.0.0.1:" + linkPort;
        }
    }

    private final RedisServer redis = new RedisServer();
    private final EtcdServer etcd = new EtcdServer();
    private final String namespace = "/acceptance-" + Long.toHexString(System.nanoTime());
    private final List<Node> controlPlanes = new ArrayList<>();
    private final List<Node> edges = new ArrayList<>();
    private final List<String> controlPlaneArgs;
    private final ThrowawayCa ca = ThrowawayCa.create("acceptance-cluster-ca");
    private final Path credentials = temporaryDirectory();

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

    /** Returns the TLS options of a node whose certificate names {@code name}. */
    private List<String> tls(String name) {
        ThrowawayCa.Identity identity = ca.issue(name, credentials);
        return List.of("--tls-cert", identity.cert().toString(), "--tls-key", identity.key().toString(),
                "--tls-ca", caFile().toString());
    }

    /** Returns the CA's certificate, the one every node trusts. */
    Path caFile() {
        Path file = credentials.resolve("ca.pem");
        return Files.exists(file) ? file : ca.writeCertificate(file);
    }

    /** Issues a certificate of the cluster's CA for {@code name}, as one leaked from a node would be. */
    ThrowawayCa.Identity issue(String name) {
        return ca.issue(name, credentials.resolve("issued"));
    }

    Node addControlPlane(String id) {
        int grpc = Ports.free();
        int link = Ports.free();
        int health = Ports.free();
        List<String> args = new ArrayList<>(List.of("control-plane", "--metrics-port", "" + health,
                "--config", Distribution.home().resolve("conf/control-plane.properties").toString(),
                "--id", id, "--grpc-host", "127.0.0.1", "--grpc-port", "" + grpc, "--link-port", "" + link,
                "--redis-address", redis.uri(), "--sweep-interval", SWEEP.toMillis() + "ms",
                "--drain-window", CONTROL_PLANE_DRAIN.toMillis() + "ms"));
        args.addAll(discovery());
        args.addAll(tls(id));
        args.addAll(controlPlaneArgs);
        Node node = new Node(FrontierNode.of(id, ENV, args.toArray(String[]::new)).startRunning(), grpc, link, -1, -1,
                health, List.copyOf(args));
        controlPlanes.add(node);
        return node;
    }

    Node addEdge(String id) {
        int grpc = Ports.free();
        int tcp = Ports.free();
        int ws = Ports.free();
        int health = Ports.free();
        List<String> args = new ArrayList<>(List.of("edge", "--metrics-port", "" + health,
                "--config", Distribution.home().resolve("conf/edge.properties").toString(),
                "--edge-id", id, "--grpc-host", "127.0.0.1", "--grpc-port", "" + grpc,
                "--tcp-host", "127.0.0.1", "--tcp-port", "" + tcp, "--ws-host", "127.0.0.1", "--ws-port", "" + ws,
                "--drain-window", EDGE_DRAIN.toMillis() + "ms"));
        args.addAll(discovery());
        args.addAll(tls(id));
        FrontierNode process = FrontierNode.of(id, ENV, args.toArray(String[]::new)).startRunning();
        process.awaitOutput("edgelink: attached to", FrontierNode.START);
        Node node = new Node(process, grpc, -1, tcp, ws, health, List.copyOf(args));
        edges.add(node);
        return node;
    }

    /**
     * Stops {@code node} as an orchestrator would (SIGTERM: a graceful stop, its drain included), waits for it to
     * exit, and starts it again with the same arguments and ports; returns the new node once it runs (an edge once
     * it is attached). Returns the exit code of the stop through {@code exitCode}.
     */
    Node restart(Node node, int[] exitCode) {
        List<Node> nodes = controlPlanes.contains(node) ? controlPlanes : edges;
        int index = nodes.indexOf(node);
        node.process().stop();
        exitCode[0] = node.process().process().exitValue();
        FrontierNode process = FrontierNode.of(node.id(), ENV, node.args().toArray(String[]::new)).startRunning();
        if (nodes == edges) {
            process.awaitOutput("edgelink: attached to", FrontierNode.START);
        }
        Node started = new Node(process, node.grpcPort(), node.linkPort(), node.tcpPort(), node.wsPort(),
                node.healthPort(), node.args());
        nodes.set(index, started);
        return started;
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
            if (cp.linkPort() == port) {
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
        deleteTree(credentials);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("frontier-cluster-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind costs nothing here.
        }
    }
}
