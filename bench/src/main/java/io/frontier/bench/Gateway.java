package io.frontier.bench;

import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import io.frontier.testing.ThrowawayCa;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway under test, as processes of their own: one {@code standalone} process, or
 * a cluster of Redis, etcd, one control plane and {@code n} edges. Scenarios see the
 * edges' device ports, the Push API's port and the processes to measure.
 */
final class Gateway implements AutoCloseable {
    private final String mode;
    private final List<ServerProcess> edges;
    /** Null in standalone mode, where the edge's process serves the Push API too. */
    private final ServerProcess controlPlane;
    private final RedisServer redis;
    private final EtcdServer etcd;
    /** The TLS listeners' ports (TCP, then WebSocket) devices connect to with {@code --tls true}; null without. */
    private int[] tlsPorts;

    private Gateway(String mode, List<ServerProcess> edges, ServerProcess controlPlane, RedisServer redis, EtcdServer etcd) {
        this.mode = mode;
        this.edges = edges;
        this.controlPlane = controlPlane;
        this.redis = redis;
        this.etcd = etcd;
    }

    /** Starts the gateway of {@code --mode standalone|cluster} ({@code --edges N} in a cluster). */
    static Gateway start(Args args, String jvmOpts, String secret) throws Exception {
        return start(args, jvmOpts, secret, Map.of());
    }

    /** {@link #start(Args, String, String)} with {@code env} added to the environment of every gateway process. */
    static Gateway start(Args args, String jvmOpts, String secret, Map<String, String> env) throws Exception {
        String mode = args.string("mode", "standalone");
        if ((args.flag("tls", false) || args.flag("hellox", false)) && !mode.equals("standalone")) {
            throw new IllegalArgumentException("--tls true, --hellox true: standalone mode only");
        }
        return switch (mode) {
            case "standalone" -> {
                if (args.flag("hellox", false)) {
                    ServerProcess p = ServerProcess.gateway(jvmOpts, secret, ioTransport(args), env,
                            List.of("--hellox-key", HelloXKey.write().toString()));
                    yield new Gateway(mode, new ArrayList<>(List.of(p)), null, null, null);
                }
                if (!args.flag("tls", false)) {
                    ServerProcess p = ServerProcess.gateway(jvmOpts, secret, ioTransport(args), env);
                    yield new Gateway(mode, new ArrayList<>(List.of(p)), null, null, null);
                }
                // Devices connect to the TLS listeners, with a certificate of a CA made for this run.
                Path files = Files.createTempDirectory("bench-tls");
                ThrowawayCa.Identity identity = ThrowawayCa.create("bench-ca").issue("127.0.0.1", files);
                int tcpTls = ServerProcess.freePort();
                int wss = ServerProcess.freePort();
                ServerProcess p = ServerProcess.gateway(jvmOpts, secret, ioTransport(args), env, List.of(
                        "--tcp-tls-port", "" + tcpTls, "--wss-port", "" + wss,
                        "--device-tls-cert", identity.cert().toString(), "--device-tls-key", identity.key().toString()));
                Gateway gateway = new Gateway(mode, new ArrayList<>(List.of(p)), null, null, null);
                gateway.tlsPorts = new int[] {tcpTls, wss};
                yield gateway;
            }
            case "cluster" -> cluster(args.integer("edges", 1), jvmOpts, args.string("cp-jvm-opts", jvmOpts), secret,
                    ioTransport(args), env);
            default -> throw new IllegalArgumentException("--mode: " + mode + " (expected: standalone or cluster)");
        };
    }

    /** {@code --io-transport auto|epoll|nio} of the edges and the baseline: auto, as the gateway's default. */
    static String ioTransport(Args args) {
        return args.string("io-transport", "auto");
    }

    private static Gateway cluster(int n, String jvmOpts, String cpJvmOpts, String secret, String ioTransport,
            Map<String, String> env) throws Exception {
        RedisServer redis = new RedisServer().start();
        EtcdServer etcd = null;
        List<ServerProcess> edges = new ArrayList<>();
        ServerProcess cp = null;
        try {
            etcd = new EtcdServer().start();
            // The nodes share a cluster token, as a deployment on a private network would.
            List<String> common = List.of("--etcd", etcd.endpoint(), "--etcd-namespace", "/bench",
                    "--cluster-token", java.util.UUID.randomUUID().toString());
            int cpPort = ServerProcess.freePort();
            List<String> cpArgs = new ArrayList<>(List.of("control-plane", "--id", "cp-1", "--grpc-host", "127.0.0.1",
                    "--grpc-port", "" + cpPort, "--link-port", "" + ServerProcess.freePort(),
                    "--redis-address", "redis://127.0.0.1:" + redis.port(), "--metrics-port", "0"));
            cpArgs.addAll(common);
            cp = ServerProcess.launcher("control-plane", cpJvmOpts, secret, cpArgs, -1, cpPort, -1, env);
            for (int i = 1; i <= n; i++) {
                int tcp = ServerProcess.freePort();
                int ws = ServerProcess.freePort();
                int grpc = ServerProcess.freePort();
                List<String> edgeArgs = new ArrayList<>(List.of("edge", "--edge-id", "edge-" + i, "--tcp-host", "127.0.0.1",
                        "--ws-host", "127.0.0.1", "--tcp-port", "" + tcp, "--ws-port", "" + ws, "--grpc-host",
                        "127.0.0.1", "--grpc-port", "" + grpc, "--io-transport", ioTransport, "--metrics-port", "0"));
                edgeArgs.addAll(ServerProcess.LOAD_TEST_LIMITS);
                edgeArgs.addAll(common);
                edges.add(ServerProcess.launcher("edge-" + i, jvmOpts, secret, edgeArgs, tcp, grpc, ws, env));
            }
            return new Gateway("cluster", edges, cp, redis, etcd);
        } catch (Exception | Error e) {
            edges.forEach(ServerProcess::close);
            if (cp != null) {
                cp.close();
            }
            if (etcd != null) {
                etcd.close();
            }
            redis.close();
            throw e;
        }
    }

    String mode() {
        return mode;
    }

    /** The processes that hold device connections. */
    List<ServerProcess> edges() {
        return edges;
    }

    int pushPort() {
        return controlPlane == null ? edges.get(0).grpcPort : controlPlane.grpcPort;
    }

    /**
     * Waits until UserStatus holds {@code connections} connections (cluster mode: the edges' indexes in
     * Redis), so that a timed step does not begin while the control plane is still recording the devices
     * that the edges said Hello to; does nothing in standalone mode, where the Hello comes after the record.
     */
    void awaitRecorded(int connections) throws InterruptedException {
        if (redis == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long recorded = 0;
        while (System.nanoTime() < deadline) {
            recorded = 0;
            for (int i = 1; i <= edges.size(); i++) {
                recorded += Long.parseLong(redis.command("HLEN", "frontier:{e:edge-" + i + "}:conns"));
            }
            if (recorded >= connections) {
                Main.log(recorded + " connections recorded in Redis");
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("UserStatus holds " + recorded + " of " + connections + " connections after 60 s");
    }

    /** The control plane, when it is a process of its own (cluster mode); else empty. */
    List<ServerProcess> controlPlane() {
        return controlPlane == null ? List.of() : List.of(controlPlane);
    }

    /** CPU time of the Redis server in ms; 0 in standalone mode, which has none. */
    long redisCpuMillis() throws java.io.IOException {
        return redis == null ? 0 : Proc.cpuMillis(redis.pid());
    }

    /** The processes whose CPU a push costs: the edges, and the control plane when it is a process of its own. */
    List<ServerProcess> pushPath() {
        List<ServerProcess> all = new ArrayList<>(edges);
        if (controlPlane != null) {
            all.add(controlPlane);
        }
        return all;
    }

    LoadGenerator.Targets targets(LoadGenerator.Protocol protocol) {
        List<InetSocketAddress> tcp = new ArrayList<>();
        List<InetSocketAddress> ws = new ArrayList<>();
        if (tlsPorts != null) {
            return new LoadGenerator.Targets(List.of(new InetSocketAddress("127.0.0.1", tlsPorts[0])),
                    List.of(new InetSocketAddress("127.0.0.1", tlsPorts[1])), protocol);
        }
        for (ServerProcess e : edges) {
            tcp.add(new InetSocketAddress("127.0.0.1", e.tcpPort));
            ws.add(new InetSocketAddress("127.0.0.1", e.wsPort));
        }
        return new LoadGenerator.Targets(tcp, ws, protocol);
    }

    /**
     * Kills edge {@code i} (SIGKILL when {@code kill}, else a graceful stop) and starts it
     * again on the same ports; in standalone mode that is the whole gateway.
     */
    void restartEdge(int i, boolean kill) throws Exception {
        ServerProcess old = edges.get(i);
        ServerProcess fresh = old.restart(kill);
        edges.set(i, fresh);
        fresh.awaitPorts(TimeUnit.SECONDS.toNanos(60));
    }

    static long cpuMillis(List<ServerProcess> processes) throws Exception {
        long sum = 0;
        for (ServerProcess p : processes) {
            sum += p.cpuMillis();
        }
        return sum;
    }

    @Override
    public void close() {
        edges.forEach(ServerProcess::close);
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
