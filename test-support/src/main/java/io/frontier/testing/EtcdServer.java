package io.frontier.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd for tests: the {@code etcd} binary on free loopback ports with a
 * data directory of its own.
 *
 * <p>{@link #start()} returns once it answers its health check. Tests that need an outage
 * {@link #stop()} or {@link #kill()} it and {@link #start()} it again: the client and peer
 * ports and the data directory stay the same, so clients reconnect to the same address and find
 * what etcd had persisted, unless {@link #deleteData()} wiped it in between. {@link #freeze()}
 * makes it hang without closing anything. {@link #close()} kills it and deletes its directory.
 *
 * <p>Methods are synchronized: one test thread and a cleanup hook may both call them.
 */
public final class EtcdServer implements AutoCloseable {
    private static final String NOT_INSTALLED = "etcd is not installed: run ./frontier test, which installs it";
    private static final List<Path> KNOWN_LOCATIONS = List.of(Paths.get("/usr/bin/etcd"), Paths.get("/usr/local/bin/etcd"));
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
    private static final Duration HEALTH_POLL = Duration.ofMillis(50);
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 30;

    private final Path binary;
    private final Path directory;
    private final Path dataDir;
    private final Path log;
    private final String name;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    // guarded by this
    private int clientPort;
    private int peerPort;
    private Process process;
    private boolean frozen;

    /**
     * Prepares an etcd with an empty data directory of its own; {@link #start()} starts it.
     *
     * @throws IllegalStateException when etcd is not installed
     */
    public EtcdServer() {
        this.binary = findBinary(System.getenv("PATH"), KNOWN_LOCATIONS);
        try {
            this.directory = Files.createTempDirectory("frontier-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for etcd", e);
        }
        this.dataDir = directory.resolve("data");
        this.log = directory.resolve("etcd.log");
        this.name = "frontier-test-" + directory.getFileName();
    }

    /**
     * Returns the client URL, {@code http://127.0.0.1:PORT}; it stays the same across restarts.
     *
     * @throws IllegalStateException before the first start, which picks the port
     */
    public synchronized String endpoint() {
        if (clientPort == 0) {
            throw new IllegalStateException("etcd has not been started yet");
        }
        return "http://127.0.0.1:" + clientPort;
    }

    /** Returns whether the etcd process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts etcd and waits until it is healthy. The first start picks free loopback ports; later
     * ones (after {@link #stop()} or {@link #kill()}) reuse them and the data directory.
     *
     * @return this server
     * @throws IllegalStateException when it is running already, or did not become healthy in time
     *                               (the message ends with the tail of its log); a first start
     *                               that fails also deletes the directory
     */
    public synchronized EtcdServer start() {
        if (isRunning()) {
            throw new IllegalStateException("etcd is running already at " + endpoint());
        }
        if (clientPort != 0) {
            spawnAndAwaitHealth();
            return this;
        }
        try {
            startOnFreePorts();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Stops etcd gracefully (SIGTERM) and waits for it to exit; does nothing when it is not running. */
    public synchronized void stop() {
        terminate(false);
    }

    /** Kills etcd (SIGKILL), as a crash or a lost machine would, and waits for it to exit. */
    public synchronized void kill() {
        terminate(true);
    }

    /**
     * Freezes etcd (SIGSTOP): it answers nothing, yet its connections stay open, as with a hung
     * process or a network that drops packets silently. {@link #thaw()} lets it go on.
     */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Lets a frozen etcd go on (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    /**
     * Deletes everything etcd persisted, so that the next {@link #start()} begins a new cluster
     * that knows no key, lease or revision of the old one.
     *
     * @throws IllegalStateException when etcd is running
     */
    public synchronized void deleteData() {
        if (isRunning()) {
            throw new IllegalStateException("stop etcd before deleting its data");
        }
        deleteTree(dataDir);
    }

    /** Kills etcd and deletes its directory. */
    @Override
    public synchronized void close() {
        terminate(true);
        deleteTree(directory);
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts();
            clientPort = ports[0];
            peerPort = ports[1];
            try {
                spawnAndAwaitHealth();
                return;
            } catch (IllegalStateException e) {
                // another process may have taken a port between our probe and etcd's bind
                if (attempt == PORT_ATTEMPTS || !logTail().contains("address already in use")) {
                    throw e;
                }
                terminate(true);
            }
        }
    }

    private void spawnAndAwaitHealth() {
        String peerUrl = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(binary.toString(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", name + "=" + peerUrl,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", name);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1))
                .build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + " while starting; "
                        + logTail());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                // etcd answers 503 with "health":"false" until it has elected itself leader
                if (response.statusCode() == 200 && response.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
            pause();
        }
        terminate(true);
        throw new IllegalStateException("etcd at " + endpoint() + " was not healthy within " + START_DEADLINE + "; "
                + logTail());
    }

    private void terminate(boolean forcibly) {
        if (process == null) {
            return;
        }
        Process running = process;
        process = null;
        if (frozen) {
            // a stopped process would hold SIGTERM until it is continued
            signal(running, "CONT");
            frozen = false;
        }
        if (forcibly) {
            running.destroyForcibly();
        } else {
            running.destroy();
        }
        try {
            if (!running.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String signal) {
        if (!isRunning()) {
            throw new IllegalStateException("etcd is not running");
        }
        signal(process, signal);
    }

    private static void signal(Process target, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(target.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling etcd", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "etcd log " + log + " ends with:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "its log " + log + " is unreadable: " + e.getMessage();
        }
    }

    /** Returns the first executable {@code etcd} on {@code path} (the PATH variable) or else in {@code known}. */
    static Path findBinary(String path, List<Path> known) {
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Paths.get(dir, "etcd");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return known.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
    }

    private static int[] freePorts() {
        return new int[] {FreePorts.next(), FreePorts.next()};
    }

    private static void pause() {
        try {
            Thread.sleep(HEALTH_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
