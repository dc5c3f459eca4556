package io.frontier.edge.routing;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps an upstream service id to the backend registered for it: its channel (one per
 * distinct target) and its call deadline. Built from the configuration, and replaced
 * whole when routes change (cluster mode watches them in etcd): readers see either the
 * old table or the new one, never a mix.
 */
public final class RouteTable implements AutoCloseable {
    private final Duration defaultDeadline;
    private final Function<String, ManagedChannel> open;
    // Guarded by this for writers; readers take the volatile snapshot.
    private volatile Map<Integer, Backend> backends = Map.of();
    private Map<String, ManagedChannel> channels = Map.of();

    /** Creates a table whose calls without a deadline of their own get {@code defaultDeadline}. */
    public RouteTable(Map<Integer, Route> routes, Duration defaultDeadline, Function<String, ManagedChannel> open) {
        this.defaultDeadline = defaultDeadline;
        this.open = open;
        update(routes);
    }

    /** Returns the backend of {@code service}, or null when none is registered. */
    public Backend backend(int service) {
        return backends.get(service);
    }

    /** Returns the routes now, by service id. */
    public Map<Integer, Backend> backends() {
        return backends;
    }

    /**
     * Replaces every route. Channels of targets still in use are kept (calls in flight go
     * on); those of targets no route names any more are shut down after their calls end.
     */
    public synchronized void update(Map<Integer, Route> routes) {
        Map<String, ManagedChannel> nextChannels = new HashMap<>();
        Map<Integer, Backend> next = new HashMap<>();
        routes.forEach((service, route) -> {
            ManagedChannel channel = nextChannels.computeIfAbsent(route.target(),
                    target -> channels.containsKey(target) ? channels.get(target) : open.apply(target));
            next.put(service, new Backend(route.target(), channel,
                    route.deadline() != null ? route.deadline() : defaultDeadline));
        });
        Map<String, ManagedChannel> previous = channels;
        channels = Map.copyOf(nextChannels);
        backends = Map.copyOf(next);
        previous.forEach((target, channel) -> {
            if (!nextChannels.containsKey(target)) {
                channel.shutdown();
            }
        });
    }

    @Override
    public synchronized void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels = Map.of();
        backends = Map.of();
    }

    /** One service's backend: where calls go and how long they may take. */
    public record Backend(String target, ManagedChannel channel, Duration deadline) {
    }
}
