package io.frontier.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Calls to edges by edge, call and result. An edge's id is a label while the edge is known: when a new edge
 * is first called, the meters of edges that are gone are removed, so that edges replaced over months (a
 * new id per pod) do not pile up series; past {@link #MAX_EDGES} live edges, the rest count under "other".
 */
public final class EdgeCallMetrics {
    static final int MAX_EDGES = 1024;

    /** The calls counted. */
    public enum Call {
        DELIVER, BROADCAST
    }

    /** What became of a call. */
    public enum Result {
        OK,
        /** The edge is not registered or cannot be reached: its devices are offline. */
        UNAVAILABLE,
        FAILED
    }

    private final MeterRegistry registry;
    private final Predicate<String> known;
    private final ConcurrentHashMap<String, Counter[]> edges = new ConcurrentHashMap<>();
    private volatile Counter[] other;

    /** Counts in {@code registry}; {@code known} tells whether an edge still exists. */
    public EdgeCallMetrics(MeterRegistry registry, Predicate<String> known) {
        this.registry = registry;
        this.known = known;
    }

    /** Returns meters that go nowhere. */
    public static EdgeCallMetrics none() {
        return new EdgeCallMetrics(new CompositeMeterRegistry(), edge -> true);
    }

    public void called(String edgeId, Call call, Result result) {
        Counter[] counters = edges.get(edgeId);
        if (counters == null) {
            counters = add(edgeId);
        }
        counters[call.ordinal() * Result.values().length + result.ordinal()].increment();
    }

    private synchronized Counter[] add(String edgeId) {
        Counter[] counters = edges.get(edgeId);
        if (counters != null) {
            return counters;
        }
        for (Iterator<Map.Entry<String, Counter[]>> it = edges.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Counter[]> edge = it.next();
            if (!known.test(edge.getKey())) {
                it.remove();
                for (Counter counter : edge.getValue()) {
                    registry.remove(counter);
                }
            }
        }
        if (edges.size() >= MAX_EDGES) {
            if (other == null) {
                other = counters("other");
            }
            return other;
        }
        counters = counters(edgeId);
        edges.put(edgeId, counters);
        return counters;
    }

    private Counter[] counters(String edge) {
        Counter[] counters = new Counter[Call.values().length * Result.values().length];
        for (Call call : Call.values()) {
            for (Result result : Result.values()) {
                counters[call.ordinal() * Result.values().length + result.ordinal()] = Counter
                        .builder("frontier.control.edge.calls")
                        .description("Calls from the control plane to edges, by edge, call and result")
                        .tags("edge", edge, "call", call.name().toLowerCase(java.util.Locale.ROOT),
                                "result", result.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        }
        return counters;
    }
}
