package io.frontier.edge.routing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one upstream service goes: a backend's gRPC target, and the deadline of its
 * calls when it differs from the edge's default.
 *
 * @param target   a gRPC target such as {@code host:port}
 * @param deadline the call deadline, or null for the edge's default
 */
public record Route(String target, Duration deadline) {
    private static final Pattern SPEC = Pattern.compile("([^,\\s]+)(?:,timeout=(\\d{1,7})(ms|s))?");

    /**
     * Parses {@code host:port} or {@code host:port,timeout=2s} (or {@code 500ms}).
     *
     * @throws IllegalArgumentException saying the expected form
     */
    public static Route parse(String spec) {
        Matcher m = spec == null ? null : SPEC.matcher(spec.trim());
        if (m == null || !m.matches() || !m.group(1).contains(":")) {
            throw new IllegalArgumentException("route: " + spec
                    + " (expected: HOST:PORT or HOST:PORT,timeout=DURATION such as localhost:7100,timeout=2s)");
        }
        Duration deadline = null;
        if (m.group(2) != null) {
            long amount = Long.parseLong(m.group(2));
            deadline = m.group(3).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
            if (deadline.isZero()) {
                throw new IllegalArgumentException("route: " + spec + " (expected: a timeout above 0)");
            }
        }
        return new Route(m.group(1), deadline);
    }

    /** Returns the spec {@link #parse} reads, the timeout in the unit it was given in: {@code 2s}, {@code 500ms}. */
    @Override
    public String toString() {
        if (deadline == null) {
            return target;
        }
        long ms = deadline.toMillis();
        return target + ",timeout=" + (ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
    }
}
