package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.control.access.ApiAccess;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.launcher.cluster.ClusterControlPlane;
import io.frontier.launcher.cluster.ControlPlaneConfig;
import io.frontier.launcher.health.NodeHealth;
import io.frontier.status.RedisStatusConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code frontier control-plane}: one stateless control-plane replica of a cluster. */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
        description = {
            "Runs one control-plane replica: the Push API for backends and the Admin API for administrators",
            "(gRPC, --grpc-port), EdgeLink for edges (--link-port), UserStatus in Redis, edges and replicas in",
            "etcd. Run as many as you like, side by side. The Push and Admin APIs need their tokens (--push-token,",
            "--admin-token) unless --grpc-host is loopback or --insecure-open is given; EdgeLink needs the",
            "cluster's credentials (--cluster-token, or --tls-cert, --tls-key and --tls-ca)."})
final class ControlPlaneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--id", defaultValue = "cp-1", description = "This replica's id, unique in the cluster. Default: ${DEFAULT-VALUE}.")
    String id;

    @Option(names = "--grpc-host", defaultValue = "0.0.0.0", description = "Address of the Push and Admin APIs. Default: ${DEFAULT-VALUE}.")
    String grpcHost;

    @Mixin
    AccessOptions tokens;

    @Mixin
    LogFormatOption logs;

    @Mixin
    MetricsPortOptions metrics;

    @Mixin
    PushOptions push;

    @Option(names = "--grpc-port", defaultValue = "7000", description = "Port of the Push and Admin APIs. Default: ${DEFAULT-VALUE}.")
    int grpcPort;

    @Option(names = "--link-host", paramLabel = "HOST",
            description = "Address of EdgeLink, which edges attach to. Default: the --advertise-host.")
    String linkHost;

    @Option(names = "--link-port", defaultValue = "7001", description = "Port of EdgeLink. Default: ${DEFAULT-VALUE}.")
    int linkPort;

    @Option(names = "--drain-window", defaultValue = "5s", paramLabel = "DURATION", converter = Durations.DrainWindow.class,
            description = "On SIGTERM the control plane turns not ready and leaves etcd at once, answers for this long"
                    + " more while edges and load balancers go elsewhere, then finishes the calls under way and"
                    + " stops: 0s to 1h. Default: ${DEFAULT-VALUE}.")
    Duration drainWindow;

    @Option(names = "--redis-mode", defaultValue = "standalone",
            description = "standalone, sentinel or cluster. Default: ${DEFAULT-VALUE}.")
    String redisMode;

    @Option(names = "--redis-address", paramLabel = "redis://HOST:PORT", split = ",", defaultValue = "redis://127.0.0.1:6379",
            description = "The Redis server, the Sentinels, or some Cluster nodes, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> redisAddresses;

    @Option(names = "--redis-master", description = "The Sentinel master's name (sentinel mode).")
    String redisMaster;

    @Option(names = "--redis-password", description = "Redis password; better given as FRONTIER_REDIS_PASSWORD.")
    String redisPassword;

    @Option(names = "--sweep-interval", defaultValue = "5s", converter = Durations.Positive.class,
            description = "How often entries of edges gone from etcd are looked for. Default: ${DEFAULT-VALUE}.")
    Duration sweepInterval;

    @Option(names = "--status-rebuild-timeout", defaultValue = "30s", converter = Durations.Positive.class,
            description = "After Redis lost its data, how long reads of devices answer UNAVAILABLE at most while the"
                    + " edges send their connections again. Default: ${DEFAULT-VALUE}.")
    Duration rebuildTimeout;

    @Option(names = "--offline-notifier", paramLabel = "HOST:PORT",
            description = "The OfflineNotifier that takes pushes for offline smartphones.")
    String offlineNotifier;

    @Option(names = "--event-backend", paramLabel = "HOST:PORT", split = ",",
            description = "Sends each device's connect and disconnect to this BackService's SendEvent; repeatable.")
    List<String> eventBackends = new ArrayList<>();

    private final PrintStream out;

    ControlPlaneCommand(Map<String, String> env, PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        logs.apply(id);
        ControlPlaneConfig config;
        ApiAccess access;
        try {
            access = tokens.access(grpcHost);
            RedisStatusConfig.Builder redis = RedisStatusConfig.builder()
                    .mode(mode(redisMode))
                    .addresses(redisAddresses);
            if (redisMaster != null) {
                redis.sentinelMaster(redisMaster);
            }
            if (redisPassword != null && !redisPassword.isEmpty()) {
                redis.password(redisPassword);
            }
            config = new ControlPlaneConfig(id, grpcHost, grpcPort, linkHost != null ? linkHost : cluster.advertiseHost,
                    linkPort, cluster.advertiseHost, redis.build(), cluster.discovery(), push.limits(),
                    eventBackends.isEmpty() ? null : EventNotifierConfig.of(eventBackends),
                    offlineNotifier, sweepInterval, rebuildTimeout, 2_000_000, Main.VERSION, access,
                    cluster.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        NodeHealth health = metrics.start(spec, MetricsPortOptions.CONTROL_PLANE_PORT);
        if (health == null) {
            return 1;
        }
        ClusterControlPlane node;
        try {
            node = ClusterControlPlane.start(config, health);
        } catch (IOException e) {
            spec.commandLine().getErr().println("frontier: " + e.getMessage());
            return 1;
        }
        return Foreground.hold(() -> node.stop(drainWindow), () -> {
            out.println("Frontier control plane " + id + " is running on " + cluster.advertiseHost + ":" + node.grpcPort()
                    + " (Push and Admin APIs: " + access.describe() + "), EdgeLink on " + node.linkPort() + "; Redis "
                    + redisAddresses + ", etcd " + cluster.etcd
                    + (health.httpPort() < 0 ? "" : "; health (HTTP) " + metrics.host + ":" + health.httpPort()));
        });
    }

    private static RedisStatusConfig.Mode mode(String name) {
        try {
            return RedisStatusConfig.Mode.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redisMode: " + name + " (expected: standalone, sentinel or cluster)");
        }
    }
}
