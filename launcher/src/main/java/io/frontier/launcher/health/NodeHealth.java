package io.frontier.launcher.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node is alive and ready, for load balancers and orchestrators: {@code grpc.health.v1.Health} on each of
 * its gRPC ports, and HTTP {@code /livez} and {@code /readyz} on a port of their own when asked for. Ready means
 * every check passes; the checks run every {@link #EVERY} on a thread of their own, so a probe never waits on
 * Redis or etcd and costs nothing but a read. Alive means the process answers.
 */
public final class NodeHealth implements AutoCloseable {
    /** How often the checks run. */
    public static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

    /** One condition of readiness: returns what is wrong, or null when nothing is. */
    @FunctionalInterface
    public interface Check {
        String problem();
    }

    private final HealthStatusManager grpc = new HealthStatusManager();
    private final NodeMetrics metrics;
    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService runner;
    private volatile List<String> problems = List.of("starting");
    private volatile boolean started;
    private volatile boolean stopping;
    private HttpServer http;

    private NodeHealth(NodeMetrics metrics) {
        this.metrics = metrics;
        runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "frontier-health");
            thread.setDaemon(true);
            return thread;
        });
        grpc.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    /** Starts the checks of a node whose meters go nowhere; the node is not ready until {@link #started()}. */
    public static NodeHealth start() {
        return start(NodeMetrics.none());
    }

    /** As above, with the node's meters, which {@link #serve} serves and {@link #close()} closes. */
    public static NodeHealth start(NodeMetrics metrics) {
        NodeHealth health = new NodeHealth(metrics);
        health.runner.scheduleWithFixedDelay(health::run, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    /** Adds a condition of readiness. */
    public NodeHealth check(Check check) {
        checks.add(check);
        return this;
    }

    /** Adds a condition that holds while {@code ok} is true, and says {@code problem} otherwise. */
    public NodeHealth check(BooleanSupplier ok, String problem) {
        return check(() -> ok.getAsBoolean() ? null : problem);
    }

    /**
     * Adds a condition probed asynchronously, once per round: ready while the last probe completed normally within
     * {@code timeout}; what is wrong says {@code what} and how the probe failed.
     */
    public NodeHealth probe(String what, Supplier<CompletionStage<?>> probe, Duration timeout) {
        return check(() -> {
            try {
                probe.get().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (TimeoutException e) {
                return what + ": no answer within " + timeout.toMillis() + " ms";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return what + ": interrupted";
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return what + ": " + cause.getClass().getSimpleName();
            }
        });
    }

    /** Marks the start as done: from now on the checks alone decide. */
    public void started() {
        started = true;
        runner.execute(this::run);
    }

    /**
     * Marks the node as stopping, for good, and returns once the checks have run again: a probe from now on
     * hears "not ready", before the node begins to turn work away.
     */
    public void stopping() {
        stopping = true;
        try {
            runner.submit(this::run).get(EVERY.toMillis() * 5, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("the checks did not run again before stopping: {}", e.toString());
        }
    }

    /** Returns what keeps the node from being ready now: empty when it is ready. */
    public List<String> problems() {
        return problems;
    }

    /** Returns the registry the node's parts record their meters in. */
    public MeterRegistry meters() {
        return metrics.registry();
    }

    /** Returns the gRPC health service to add to each of the node's gRPC servers. */
    public BindableService grpcService() {
        return grpc.getHealthService();
    }

    /**
     * Serves {@code /livez}, {@code /readyz} and, when the node has meters, {@code /metrics} (Prometheus's text
     * format) over HTTP on {@code host}:{@code port} (0 picks a free one).
     *
     * @throws IOException when the port cannot be bound
     */
    public void serve(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/livez", exchange -> answer(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            List<String> now = problems;
            answer(exchange, now.isEmpty() ? 200 : 503, now.isEmpty() ? "ready\n" : String.join("\n", now) + "\n");
        });
        if (metrics.served()) {
            server.createContext("/metrics", exchange -> {
                String text;
                try {
                    text = metrics.scrape();
                } catch (RuntimeException e) {
                    log.warn("metrics could not be written", e);
                    answer(exchange, 500, "metrics could not be written: " + e.getClass().getSimpleName() + "\n");
                    return;
                }
                answer(exchange, 200, text, "text/plain; version=0.0.4; charset=utf-8");
            });
        }
        // Handlers run on the server's own thread: they only read the last result, and never wait for a probe.
        server.setExecutor(null);
        server.start();
        http = server;
    }

    /** Returns the bound HTTP port, or -1 when {@link #serve} was not called. */
    public int httpPort() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    @Override
    public void close() {
        grpc.enterTerminalState();
        if (http != null) {
            http.stop(0);
        }
        runner.shutdownNow();
        metrics.close();
    }

    private void run() {
        List<String> found = new ArrayList<>();
        if (!started) {
            found.add("starting");
        }
        if (stopping) {
            found.add("stopping");
        }
        for (Check check : checks) {
            try {
                String problem = check.problem();
                if (problem != null) {
                    found.add(problem);
                }
            } catch (RuntimeException e) {
                found.add("a check failed: " + e.getClass().getSimpleName());
                log.warn("health check failed unexpectedly", e);
            }
        }
        boolean wasReady = problems.isEmpty();
        problems = List.copyOf(found);
        if (wasReady != found.isEmpty()) {
            log.info(found.isEmpty() ? "ready" : "not ready: {}", String.join("; ", found));
        }
        grpc.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                found.isEmpty() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        answer(exchange, code, body, "text/plain; charset=utf-8");
    }

    private static void answer(HttpExchange exchange, int code, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
