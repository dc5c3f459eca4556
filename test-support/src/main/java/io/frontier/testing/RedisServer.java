package io.frontier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on {@code 127.0.0.1}, for tests. It persists nothing ({@code --save ""},
 * {@code --appendonly no}) and works in a temporary directory that {@link #close()} deletes.
 *
 * <p>{@link #stop()} and {@link #kill()} end the process but keep the port, so that {@link #start()} brings
 * a server back where clients expect it, as a restarted Redis would be (with an empty data set). Not
 * thread-safe: one test drives it.
 *
 * <pre>{@code
 * try (RedisServer redis = new RedisServer().start()) {
 *     connect(redis.uri());          // "redis://127.0.0.1:PORT"
 *     redis.kill();                  // Redis is down, as after a crash
 *     redis.start();                 // back on the same port
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    /** How long a starting server has to answer PING. */
    static final Duration START_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final String NOT_INSTALLED = "redis-server is not installed: run ./frontier test, which installs it";

    private final List<String> extraArgs;
    private final Path dir;
    private int port;
    private boolean portBound;
    private Process process;

    /** Creates a server that is not running yet; {@link #start()} runs it. */
    public RedisServer() {
        this(List.of());
    }

    /**
     * Creates a server whose command line ends with {@code extraArgs}, such as {@code --cluster-enabled yes}.
     */
    RedisServer(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.dir = Files.createTempDirectory("frontier-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the server and returns once it answers PING: on a free port the first time, on the same port
     * after {@link #stop()} or {@link #kill()}.
     *
     * @return this server
     * @throws IllegalStateException if {@code redis-server} is not installed, is already running, or does not
     *                               come up in time
     */
    public RedisServer start() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        String executable = executable();
        if (portBound) {
            launch(executable);
            return this;
        }
        // A port found free can be taken before the server binds it: then another port, a few times.
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            port = freePort();
            try {
                launch(executable);
                portBound = true;
                return this;
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /** Returns the port, the same for every run of this server; 0 before the first {@link #start()}. */
    public int port() {
        return port;
    }

    /** Returns the URI clients connect to, {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Returns the process id of the running server, for measurements of its CPU and memory. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        return process.pid();
    }

    /** Returns whether the process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Ends the server gracefully (SIGTERM) and waits for it to exit; does nothing when it is not running. */
    public void stop() {
        end(false);
    }

    /** Ends the server at once (SIGKILL), as a crash would, and waits for it to exit. */
    public void kill() {
        end(true);
    }

    /**
     * Freezes the server (SIGSTOP): it keeps its port and the kernel still accepts connections, but nothing
     * answers, as with a Redis stuck or cut off without a reset. {@link #thaw()} resumes it.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a server that {@link #freeze()} stopped (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    /**
     * Sends one command and returns its reply as text (a simple string, an integer or a bulk string).
     *
     * @throws IllegalStateException if Redis answers with an error
     * @throws UncheckedIOException if it cannot be reached
     */
    public String command(String... args) {
        return RedisProtocol.call(port, args);
    }

    /** Deletes every key of every database, as tests do between cases. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        stop();
        deleteQuietly(dir);
    }

    /** Returns the path of {@code redis-server}, from the PATH or {@code /usr/bin}. */
    static String executable() {
        return RedisProtocol.findExecutable("redis-server", NOT_INSTALLED);
    }

    private void launch(String executable) {
        List<String> command = new ArrayList<>(List.of(executable,
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no"));
        command.addAll(extraArgs);
        Path log = dir.resolve("redis-" + port + ".log");
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + executable, e);
        }
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (!RedisProtocol.answersPing(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + ": " + tail(log));
            }
            if (System.nanoTime() - deadline > 0) {
                end(true);
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                        + START_DEADLINE + ": " + tail(log));
            }
            pause();
        }
    }

    private void signal(String name) {
        if (!isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
            try {
                // A frozen server would hold SIGTERM until resumed.
                signal("CONT");
            } catch (RuntimeException e) {
                // It has exited already, or cannot be resumed: the wait below ends it forcibly.
            }
        }
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Waits between two polls of a condition that has its own deadline. */
    static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    /** Returns a free port whose cluster bus port (+10000) is free too. */
    static int freePort() {
        return FreePorts.next(10_000);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory harms no later test.
        }
    }
}
