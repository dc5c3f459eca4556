package io.frontier.edge.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.collection.IntObjectHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters of upstream requests, by service and by the status the device was answered. A service is a
 * label only once a route names it: a request for a service no backend serves counts under "unknown", and
 * past {@link #MAX_SERVICES} services under "other", so that no device can make a label of its own. The
 * meters of a service are made on its first request and kept; the map is copied when one is added, so a
 * request's look-up takes no lock and boxes no id.
 */
public final class UpstreamMetrics {
    /** Services with a label of their own at most; routes come from the operator, not from devices. */
    static final int MAX_SERVICES = 1024;
    private static final int[] STATUSES = {200, 400, 401, 403, 404, 429, 500, 502, 503, 504};
    private static final String UNKNOWN = "unknown";
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    private volatile IntObjectHashMap<Service> services = new IntObjectHashMap<>();
    private volatile Service unknown;
    private volatile Service other;

    public UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request for a service that has no backend was answered 404. */
    public void unknownService() {
        Service meters = unknown;
        if (meters == null) {
            meters = new Service(UNKNOWN);
            unknown = meters;
        }
        meters.answered(404);
    }

    /** Returns the meters of {@code service}, which a route names. */
    public Service of(int service) {
        Service meters = services.get(service);
        return meters != null ? meters : add(service);
    }

    private synchronized Service add(int service) {
        Service meters = services.get(service);
        if (meters != null) {
            return meters;
        }
        if (services.size() >= MAX_SERVICES) {
            if (other == null) {
                other = new Service(OTHER);
            }
            return other;
        }
        IntObjectHashMap<Service> more = new IntObjectHashMap<>(services.size() + 1);
        more.putAll(services);
        meters = new Service(Integer.toString(service));
        more.put(service, meters);
        services = more;
        return meters;
    }

    /** The meters of one service. */
    public final class Service {
        private final String service;
        // Made on first use; two threads that make one at once get the same counter from the registry.
        private final Counter[] answers = new Counter[STATUSES.length + 1];
        private final Timer latency;

        private Service(String service) {
            this.service = service;
            latency = Timer.builder("frontier.edge.upstream")
                    .description("Upstream requests from the edge's call to its backend to the reply (or failure)")
                    .tag("service", service).serviceLevelObjectives(EdgeMetrics.HELLO_BUCKETS).register(registry);
        }

        /** A request was answered {@code status} without calling the backend (too many in flight). */
        public void answered(int status) {
            int i = index(status);
            Counter counter = answers[i];
            if (counter == null) {
                counter = Counter.builder("frontier.edge.upstream.requests")
                        .description("Upstream requests of devices, by service and the status they were answered")
                        .tags("service", service, "status", i < STATUSES.length ? Integer.toString(STATUSES[i]) : OTHER)
                        .register(registry);
                answers[i] = counter;
            }
            counter.increment();
        }

        /** The backend's call ended after {@code nanos} and the device was answered {@code status}. */
        public void called(int status, long nanos) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
            answered(status);
        }

        private int index(int status) {
            for (int i = 0; i < STATUSES.length; i++) {
                if (STATUSES[i] == status) {
                    return i;
                }
            }
            return STATUSES.length;
        }
    }
}
