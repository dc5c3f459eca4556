package io.frontier.acceptance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code bin/frontier standalone} on free loopback ports, with a known token secret. */
final class StandaloneGateway implements AutoCloseable {
    static final String SECRET = "acceptance-secret-of-at-least-32-bytes!";

    private final FrontierNode node;
    private final int tcpPort = Ports.free();
    private final int wsPort = Ports.free();
    private final int grpcPort = Ports.free();
    private final Map<String, String> env;

    private StandaloneGateway(Map<String, String> extraEnv, String... extraArgs) {
        Map<String, String> env = new HashMap<>();
        env.put("FRONTIER_JWT_SECRET", SECRET);
        env.putAll(extraEnv);
        this.env = Map.copyOf(env);
        List<String> args = new ArrayList<>(List.of("standalone",
                "--config", Distribution.home().resolve("conf/standalone.properties").toString(),
                "--tcp-host", "127.0.0.1", "--tcp-port", "" + tcpPort,
                "--ws-host", "127.0.0.1", "--ws-port", "" + wsPort,
                "--grpc-port", "" + grpcPort));
        args.addAll(List.of(extraArgs));
        this.node = FrontierNode.of("standalone", this.env, args.toArray(String[]::new));
    }

    /** Starts a gateway with the example config, free ports and {@code extraArgs}, and waits until it runs. */
    static StandaloneGateway start(String... extraArgs) {
        return start(Map.of(), extraArgs);
    }

    /** As {@link #start(String...)}, with {@code extraEnv} in the gateway's environment. */
    static StandaloneGateway start(Map<String, String> extraEnv, String... extraArgs) {
        StandaloneGateway gateway = new StandaloneGateway(extraEnv, extraArgs);
        gateway.node.startRunning();
        return gateway;
    }

    FrontierNode node() {
        return node;
    }

    int tcpPort() {
        return tcpPort;
    }

    int wsPort() {
        return wsPort;
    }

    /** {@code 127.0.0.1:PORT} of the Push and Admin APIs. */
    String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /** The environment ctl needs against this gateway: the token secret (and tokens when it has some). */
    Map<String, String> env() {
        return env;
    }

    /** Runs {@code ctl ARGS} with this gateway's environment; the caller names {@code --target}. */
    Ctl.Result ctl(String... args) {
        return Ctl.run(env, args);
    }

    /** A device token of this gateway's secret. */
    String token(String user, String device) {
        return Jwt.mint(SECRET, user, device);
    }

    @Override
    public void close() {
        node.close();
    }
}
