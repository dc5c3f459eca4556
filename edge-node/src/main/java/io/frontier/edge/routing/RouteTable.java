package io.frontier.edge.routing;

import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps an upstream service id to the gRPC channel of the backend registered for it.
 * Static in standalone mode: built once from the configuration.
 */
public final class RouteTable implements AutoCloseable {
    private final Map<Integer, ManagedChannel> channels;

    /** Creates a table that opens one channel per distinct target with {@code open}. */
    public RouteTable(Map<Integer, String> routes, Function<String, ManagedChannel> open) {
        Map<String, ManagedChannel> byTarget = new java.util.HashMap<>();
        Map<Integer, ManagedChannel> table = new java.util.HashMap<>();
        routes.forEach((service, target) -> table.put(service, byTarget.computeIfAbsent(target, open)));
        this.channels = Map.copyOf(table);
    }

    /** Returns the backend channel of {@code service}, or null when none is registered. */
    public ManagedChannel channel(int service) {
        return channels.get(service);
    }

    @Override
    public void close() {
        channels.values().stream().distinct().forEach(ManagedChannel::shutdownNow);
    }
}
