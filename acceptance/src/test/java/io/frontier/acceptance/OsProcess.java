package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A process a test started, with its stdout and stderr in one log file under
 * {@code target/acceptance-logs} (kept for a failure's post-mortem). {@link #close()} ends it and
 * whatever it started.
 */
class OsProcess implements AutoCloseable {
    static final Path LOGS = Path.of("target/acceptance-logs").toAbsolutePath();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path dir;
    private final Path log;
    private Process process;

    OsProcess(String name, List<String> command, Map<String, String> env, Path dir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.dir = dir;
        try {
            Files.createDirectories(LOGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // numbered per test JVM: a later run's files replace an earlier run's
        this.log = LOGS.resolve(String.format("%03d-%s.log", SEQUENCE.incrementAndGet(), name));
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the command (again, after {@link #kill()} or {@link #stop()}), appending to the same log. */
    OsProcess start() {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        hermetic(builder.environment()).putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        return this;
    }

    /**
     * Drops the FRONTIER_ settings of the shell that runs the suite (a developer's exported secret or target),
     * so that a process sees only what its test gives it.
     */
    static Map<String, String> hermetic(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("FRONTIER_"));
        return environment;
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Returns everything the process printed so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * Waits until the output holds a line matching {@code regex} and returns its first match;
     * fails when the process exits first or {@code timeout} passes.
     */
    Matcher awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        Matcher[] found = new Matcher[1];
        try {
            Awaitility.await(name + " prints /" + regex + "/").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Matcher m = pattern.matcher(output());
                        if (m.find()) {
                            found[0] = m;
                            return true;
                        }
                        if (!process.isAlive()) {
                            fail(name + " exited with " + process.exitValue() + " before printing /" + regex + "/:\n"
                                    + output());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            fail(name + " did not print /" + regex + "/ within " + timeout.toSeconds() + " s; it printed:\n" + output());
        }
        return found[0];
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not exit within " + timeout.toSeconds() + " s; it printed:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM killer would; returns once the process is gone. */
    void kill() {
        end(true);
    }

    /** SIGTERM, as an operator's stop; returns once the process is gone (SIGKILL after 20 s). */
    void stop() {
        end(false);
    }

    private void end(boolean kill) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name + " (log " + log + ")";
    }
}
