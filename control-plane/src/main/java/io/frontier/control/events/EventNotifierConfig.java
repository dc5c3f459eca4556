package io.frontier.control.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Settings of an {@link EventNotifier}, validated when built.
 *
 * @param backends      the gRPC targets ({@code host:port}) whose {@code BackService.SendEvent} gets every event
 * @param queueCapacity the events that may wait per backend; past it the oldest waiting event is dropped
 * @param maxTries      how many times one event is sent to one backend at most, the first try included
 * @param firstBackoff  the wait before the second try; it doubles for each later try
 * @param maxBackoff    the longest wait between two tries
 * @param jitter        the fraction, 0 to 1, by which each wait varies at random, so that backends that
 *                      failed together are not retried together
 * @param callDeadline  the deadline of one {@code SendEvent} call
 * @param closeTimeout  how long {@link EventNotifier#close()} waits for waiting events to go out
 */
public record EventNotifierConfig(List<String> backends, int queueCapacity, int maxTries, Duration firstBackoff,
                                  Duration maxBackoff, double jitter, Duration callDeadline, Duration closeTimeout) {
    /** Validates the settings and copies the list of backends. */
    public EventNotifierConfig {
        requireNonNull(backends, "backends");
        check(!backends.isEmpty(), "backends", backends, "at least one gRPC target such as host:port");
        for (int i = 0; i < backends.size(); i++) {
            String target = backends.get(i);
            check(target != null && !target.isBlank(), "backends[" + i + "]", target, "a gRPC target such as host:port");
        }
        check(new HashSet<>(backends).size() == backends.size(), "backends", backends, "each target once");
        backends = List.copyOf(backends);
        check(queueCapacity >= 1, "queueCapacity", queueCapacity, ">= 1");
        check(maxTries >= 1, "maxTries", maxTries, ">= 1");
        positive("firstBackoff", firstBackoff);
        positive("maxBackoff", maxBackoff);
        check(maxBackoff.compareTo(firstBackoff) >= 0, "maxBackoff", maxBackoff, ">= firstBackoff " + firstBackoff);
        check(jitter >= 0 && jitter <= 1, "jitter", jitter, "0..1");
        positive("callDeadline", callDeadline);
        positive("closeTimeout", closeTimeout);
    }

    /**
     * Returns the defaults for {@code backends}: 10,000 waiting events per backend, 3 tries,
     * backoff from 200 ms doubling up to 5 s with 20 % jitter, 2 s per call, 5 s to drain on close.
     */
    public static EventNotifierConfig of(List<String> backends) {
        return builder(backends).build();
    }

    /** Returns a builder for {@code backends} that starts from the defaults of {@link #of}. */
    public static Builder builder(List<String> backends) {
        return new Builder(backends);
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        check(!value.isNegative() && !value.isZero(), name, value, "> 0");
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }

    /** Builds an {@link EventNotifierConfig}; every setting but the backends has a default. */
    public static final class Builder {
        private final List<String> backends;
        private int queueCapacity = 10_000;
        private int maxTries = 3;
        private Duration firstBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private double jitter = 0.2;
        private Duration callDeadline = Duration.ofSeconds(2);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder(List<String> backends) {
            this.backends = backends;
        }

        /** Sets the events that may wait per backend (default 10,000). */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** Sets the tries per event and backend, the first included (default 3). */
        public Builder maxTries(int maxTries) {
            this.maxTries = maxTries;
            return this;
        }

        /** Sets the first wait between tries and the longest one (default 200 ms and 5 s). */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** Sets the fraction by which waits vary at random (default 0.2); 0 makes them exact. */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Sets the deadline of one call (default 2 s). */
        public Builder callDeadline(Duration callDeadline) {
            this.callDeadline = callDeadline;
            return this;
        }

        /** Sets how long close() waits for waiting events to go out (default 5 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Returns the config.
         *
         * @throws IllegalArgumentException naming the first setting that is out of range
         */
        public EventNotifierConfig build() {
            return new EventNotifierConfig(backends, queueCapacity, maxTries, firstBackoff, maxBackoff, jitter,
                    callDeadline, closeTimeout);
        }
    }
}
