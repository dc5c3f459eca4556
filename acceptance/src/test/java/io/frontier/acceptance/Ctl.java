package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code bin/frontier ctl ...} of the distribution, run to its end. */
final class Ctl {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Ctl() {
    }

    /** What one ctl run printed and how it exited. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code bin/frontier ctl ARGS} with {@code env} added to this JVM's environment. */
    static Result run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Distribution.frontier().toString());
        command.add("ctl");
        command.addAll(List.of(args));
        return exec(command, env);
    }

    /** Runs {@code command} in the distribution's directory and returns what it printed. */
    static Result exec(List<String> command, Map<String, String> env) {
        return exec(command, env, TIMEOUT);
    }

    /** As {@link #exec(List, Map)}, failing past {@code timeout} rather than the default minute. */
    static Result exec(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Distribution.home().toFile());
        OsProcess.hermetic(builder.environment()).putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(read failed: " + e + ")";
        }
    }
}
