package io.frontier.discovery;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.frontier.control.admin.RouteStore;
import io.frontier.control.cluster.EdgeMembership;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service discovery over etcd: nodes register under leases, others list and watch them, and
 * backend routes are kept and watched.
 *
 * <p>Keys, under the {@linkplain DiscoveryConfig#namespace() namespace} {@code <ns>}:
 * <ul>
 *   <li>{@code <ns>/edges/<edgeId>}: a serialized {@code EdgeRecord}, under the edge's lease;
 *   <li>{@code <ns>/control-planes/<id>}: a serialized {@code ControlPlaneRecord}, under the
 *       replica's lease;
 *   <li>{@code <ns>/routes/<serviceId>}: the UTF-8 route spec {@code host:port} or
 *       {@code host:port,timeout=2s}, without a lease.
 * </ul>
 *
 * <p>Nothing needs a restart when etcd restarts: registrations register again (under new
 * leases, also when etcd lost its data) and watches list again and resume.
 *
 * <p>No method blocks but {@link #close()} and {@link Registration#close()}. Futures complete on
 * the discovery's own thread, which also runs every registration: stages chained to them must
 * not block (chain with an {@code *Async} method and an executor of your own to block). Each
 * future fails after the {@linkplain DiscoveryConfig#operationTimeout() operation timeout} when
 * etcd does not answer; a put or delete that timed out may still have been applied.
 */
public final class EtcdDiscovery implements AutoCloseable {
    /** The kind of edges' registrations. */
    public static final String EDGES = "edges";
    /** The kind of control-plane replicas' registrations. */
    public static final String CONTROL_PLANES = "control-planes";
    /** The kind of backend routes: written with {@link #putRoute}, not registered. */
    static final String ROUTES = "routes";

    private static final Logger log = LoggerFactory.getLogger(EtcdDiscovery.class);
    /** What the edge's route parser accepts: a target, and optionally its own call deadline. */
    private static final Pattern ROUTE_SPEC =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^,\\s:\\[\\]]+):\\d{1,5}(,timeout=[1-9]\\d{0,6}(ms|s))?");

    private final DiscoveryConfig config;
    private final EtcdKeys keys;
    private final EtcdCalls etcd;
    private final ScheduledExecutorService scheduler;
    private final Set<LeasedRegistration> registrations = ConcurrentHashMap.newKeySet();
    private final Set<String> registeredKeys = ConcurrentHashMap.newKeySet();
    private final Set<PrefixWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EtcdDiscovery(DiscoveryConfig config, EtcdCalls etcd) {
        this.config = config;
        this.keys = new EtcdKeys(config.namespace());
        this.etcd = etcd;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "frontier-discovery");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Returns a discovery client for {@code config}. It connects on its first request, so this
     * neither blocks nor fails when etcd is down: requests fail, registrations and watches retry.
     */
    public static EtcdDiscovery connect(DiscoveryConfig config) {
        requireNonNull(config, "config");
        return new EtcdDiscovery(config, EtcdCalls.open(config));
    }

    /** Returns the settings this client was built with. */
    public DiscoveryConfig config() {
        return config;
    }

    /**
     * Registers {@code <ns>/<kind>/<id>} under a lease of its own and keeps it there until the
     * registration is closed, registering again whenever the lease is lost (see {@link Registration}).
     *
     * @param kind  {@link #EDGES}, {@link #CONTROL_PLANES} or another kind of lower-case letters,
     *              digits and '-'
     * @param id    1 to 128 characters without '/' or whitespace
     * @param value returns the value to publish; called on each registration and update, on the
     *              discovery's thread, so it must be quick and must not block
     * @throws IllegalArgumentException when the kind or id is malformed, or the kind is routes
     * @throws IllegalStateException    when this client already registers that key, or is closed
     */
    public Registration register(String kind, String id, Supplier<byte[]> value) {
        EtcdKeys.checkKind(kind);
        if (ROUTES.equals(kind)) {
            throw new IllegalArgumentException("kind: routes (expected: a leased kind such as edges; routes have putRoute)");
        }
        ByteSequence key = keys.key(kind, id);
        requireNonNull(value, "value");
        String name = keys.describe(kind, id);
        checkOpen();
        if (!registeredKeys.add(name)) {
            throw new IllegalStateException(name + " is registered already by this client");
        }
        LeasedRegistration registration = new LeasedRegistration(etcd, scheduler, config, key, name, value, closed -> {
            registrations.remove(closed);
            registeredKeys.remove(name);
        });
        registrations.add(registration);
        registration.start();
        return registration;
    }

    /**
     * Returns the entries of {@code kind}: id to value, sorted by id.
     *
     * @throws IllegalArgumentException when the kind is malformed
     */
    public CompletableFuture<Map<String, byte[]>> list(String kind) {
        ByteSequence prefix = keys.prefix(kind);
        return onScheduler(etcd.getPrefix(prefix), response -> {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (KeyValue kv : response.getKvs()) {
                String id = keys.idOf(kind, kv.getKey());
                if (id != null) {
                    entries.put(id, kv.getValue().getBytes());
                }
            }
            return Collections.unmodifiableMap(entries);
        });
    }

    /**
     * Watches the entries of {@code kind}: {@code listener} gets the current ones, then every change,
     * and after a broken watch the difference (see {@link WatchListener}).
     *
     * @throws IllegalArgumentException when the kind is malformed
     * @throws IllegalStateException    when this client is closed
     */
    public Watch watch(String kind, WatchListener listener) {
        requireNonNull(listener, "listener");
        return startWatch(kind, new ListenerSink(kind, listener));
    }

    /**
     * Returns the edges' registrations as a control plane follows them: each watch of it watches
     * {@link #EDGES} and hands over the records parsed; an unreadable record is logged, and left
     * out (a put) or handed over as null (a delete).
     */
    public EdgeMembership edgeMembership() {
        checkOpen();
        return new EtcdEdgeMembership(this);
    }

    /**
     * Watches the control planes registered: {@code listener} gets the EdgeLink addresses of all of
     * them after each change (the link address, else the gRPC address), on the watch's thread.
     */
    public Watch watchControlPlanes(Consumer<List<String>> listener) {
        requireNonNull(listener, "listener");
        return watch(CONTROL_PLANES, new ControlPlaneAddresses(listener));
    }

    /** Returns the route table as the Admin API changes it: {@link #routes}, {@link #putRoute}, {@link #deleteRoute}. */
    public RouteStore routeStore() {
        checkOpen();
        return new EtcdRouteStore(this);
    }

    /**
     * Routes upstream service {@code service} to {@code spec}; edges watching routes pick it up
     * without a restart.
     *
     * @param spec {@code host:port} or {@code host:port,timeout=2s} (or {@code 500ms})
     * @throws IllegalArgumentException when the service id is not above 0 or the spec is malformed
     */
    public CompletableFuture<Void> putRoute(int service, String spec) {
        ByteSequence key = routeKey(service);
        if (spec == null || !ROUTE_SPEC.matcher(spec).matches()) {
            throw new IllegalArgumentException("spec: " + spec
                    + " (expected: HOST:PORT or HOST:PORT,timeout=DURATION such as localhost:7100,timeout=2s)");
        }
        return onScheduler(etcd.put(key, spec.getBytes(StandardCharsets.UTF_8), 0), put -> null);
    }

    /**
     * Removes the route of {@code service}; the future says whether there was one.
     *
     * @throws IllegalArgumentException when the service id is not above 0
     */
    public CompletableFuture<Boolean> deleteRoute(int service) {
        return onScheduler(etcd.delete(routeKey(service)), deleted -> deleted.getDeleted() > 0);
    }

    /** Returns the route table: service id to spec, sorted by id; entries that are not routes are left out. */
    public CompletableFuture<Map<Integer, String>> routes() {
        return list(ROUTES).thenApply(entries -> {
            RouteTable table = new RouteTable(null);
            entries.forEach(table::put);
            return table.snapshot();
        });
    }

    /**
     * Watches the route table: {@code listener} gets the whole table (service id to spec, sorted)
     * once it is listed, and again after every change, on the watch's thread.
     */
    public Watch watchRoutes(Consumer<Map<Integer, String>> listener) {
        requireNonNull(listener, "listener");
        return startWatch(ROUTES, new RouteTable(listener));
    }

    /**
     * Closes every registration (revoking its lease, so that its entry disappears at once) and
     * every watch, then the connection to etcd. Blocks until etcd answered the revokes, at most a
     * little over the operation timeout.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> revokes = new ArrayList<>();
        registrations.forEach(registration -> revokes.add(registration.closeAsync()));
        watches.forEach(PrefixWatch::close);
        try {
            CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new))
                    .get(config.operationTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("etcd did not revoke every lease in time; those entries disappear within the TTL");
        }
        shutDown();
    }

    /**
     * Stops without revoking anything, as a process that died would: keep-alives stop and entries
     * disappear when their leases expire. For tests of expiry.
     */
    void abandon() {
        if (closed.compareAndSet(false, true)) {
            watches.forEach(PrefixWatch::close);
            shutDown();
        }
    }

    private void shutDown() {
        scheduler.shutdownNow();
        etcd.close();
    }

    private Watch startWatch(String kind, PrefixWatch.Sink sink) {
        EtcdKeys.checkKind(kind);
        checkOpen();
        PrefixWatch watch = new PrefixWatch(etcd, keys, kind, config, sink, watches::remove);
        watches.add(watch);
        watch.start();
        return watch;
    }

    private ByteSequence routeKey(int service) {
        if (service <= 0) {
            throw new IllegalArgumentException("service: " + service + " (expected: a service id > 0)");
        }
        return keys.key(ROUTES, Integer.toString(service));
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("discovery is closed");
        }
    }

    /** Maps {@code call}'s result on the discovery's thread, off jetcd's event loops. */
    private <T, R> CompletableFuture<R> onScheduler(CompletableFuture<T> call, Function<T, R> mapping) {
        CompletableFuture<R> result = new CompletableFuture<>();
        call.whenComplete((value, error) -> {
            try {
                scheduler.execute(() -> {
                    if (error != null) {
                        result.completeExceptionally(EtcdCalls.unwrap(error));
                        return;
                    }
                    try {
                        result.complete(mapping.apply(value));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new IllegalStateException("discovery is closed", e));
            }
        });
        return result;
    }

    /** Hands a watch's changes to a {@link WatchListener}, one call per change. */
    private static final class ListenerSink implements PrefixWatch.Sink {
        private final String kind;
        private final WatchListener listener;

        ListenerSink(String kind, WatchListener listener) {
            this.kind = kind;
            this.listener = listener;
        }

        @Override
        public void accept(List<PrefixWatch.Change> changes, boolean synced) {
            for (PrefixWatch.Change change : changes) {
                try {
                    if (change.deleted()) {
                        listener.onDelete(change.id(), change.value());
                    } else {
                        listener.onPut(change.id(), change.value());
                    }
                } catch (RuntimeException e) {
                    log.warn("the listener of {} failed on {}", kind, change.id(), e);
                }
            }
            if (synced) {
                listener.onSynced();
            }
        }
    }

    /**
     * The route table a watch of routes keeps, handed whole to its listener after each batch of
     * changes, so that the listener never sees half of a re-listing.
     */
    private static final class RouteTable implements PrefixWatch.Sink {
        private final Consumer<Map<Integer, String>> listener;
        private final Map<Integer, String> routes = new TreeMap<>();
        private boolean announced;

        RouteTable(Consumer<Map<Integer, String>> listener) {
            this.listener = listener;
        }

        @Override
        public void accept(List<PrefixWatch.Change> changes, boolean synced) {
            boolean changed = false;
            for (PrefixWatch.Change change : changes) {
                changed |= change.deleted() ? remove(change.id()) : put(change.id(), change.value());
            }
            if (changed || (synced && !announced)) {
                announced = true;
                listener.accept(snapshot());
            }
        }

        boolean put(String id, byte[] value) {
            Integer service = serviceId(id);
            String spec = new String(value, StandardCharsets.UTF_8);
            return service != null && !spec.equals(routes.put(service, spec));
        }

        private boolean remove(String id) {
            Integer service = serviceId(id);
            return service != null && routes.remove(service) != null;
        }

        Map<Integer, String> snapshot() {
            return Collections.unmodifiableMap(new TreeMap<>(routes));
        }

        private static Integer serviceId(String id) {
            try {
                int service = Integer.parseInt(id);
                return service > 0 ? service : null;
            } catch (NumberFormatException e) {
                log.debug("ignoring {}/{}: not a service id", ROUTES, id);
                return null;
            }
        }
    }
}
