package io.frontier.edge.routing;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps an upstream service id to the backend registered for it: its channel (one per
 * distinct target) and its call deadline. Static in standalone mode: built once from
 * the configuration.
 */
public final class RouteTable implements AutoCloseable {
    private final Map<Integer, Backend> backends;
    private final Map<String, ManagedChannel> channels;

    /** Creates a table whose calls without a deadline of their own get {@code defaultDeadline}. */
    public RouteTable(Map<Integer, Route> routes, Duration defaultDeadline, Function<String, ManagedChannel> open) {
        Map<String, ManagedChannel> byTarget = new HashMap<>();
        Map<Integer, Backend> table = new HashMap<>();
        routes.forEach((service, route) -> table.put(service, new Backend(
                byTarget.computeIfAbsent(route.target(), open),
                route.deadline() != null ? route.deadline() : defaultDeadline)));
        this.backends = Map.copyOf(table);
        this.channels = Map.copyOf(byTarget);
    }

    /** Returns the backend of {@code service}, or null when none is registered. */
    public Backend backend(int service) {
        return backends.get(service);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    /** One service's backend: where calls go and how long they may take. */
    public record Backend(ManagedChannel channel, Duration deadline) {
    }
}
