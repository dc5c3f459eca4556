package io.frontier.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One {@code bin/frontier} process of the unpacked distribution: a gateway, a node, a backend. */
final class FrontierNode extends OsProcess {
    static final Duration START = Duration.ofSeconds(60);

    private FrontierNode(String name, List<String> command, Map<String, String> env) {
        super(name, command, env, Distribution.home());
    }

    /** Makes (without starting) {@code bin/frontier ARGS} with {@code env} added to this JVM's environment. */
    static FrontierNode of(String name, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Distribution.frontier().toString());
        command.addAll(List.of(args));
        return new FrontierNode(name, command, env);
    }

    /** Starts {@code bin/frontier example-backend --port PORT} and waits until it listens. */
    static FrontierNode exampleBackend(String name, int port) {
        FrontierNode backend = of(name, Map.of(), "example-backend", "--port", "" + port);
        backend.start().awaitOutput("example backend listening on", START);
        return backend;
    }

    /** Starts it and waits until it says it is running (standalone, control-plane, edge). */
    FrontierNode startRunning() {
        start();
        awaitOutput("is running", START);
        return this;
    }
}
