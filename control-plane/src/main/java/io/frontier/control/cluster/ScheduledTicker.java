package io.frontier.control.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Ticker#every}: a single-thread scheduled executor, runs a fixed delay apart. */
final class ScheduledTicker implements Ticker {
    private static final Logger log = LoggerFactory.getLogger(ScheduledTicker.class);
    /** How long {@link #close()} waits for a run that is under way. */
    private static final long CLOSE_WAIT_MS = 2_000;

    private final long intervalMs;
    private final ScheduledExecutorService executor;

    ScheduledTicker(Duration interval, String threadName) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.intervalMs = interval.toMillis();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(Runnable tick) {
        // A task that throws would never be scheduled again: each run is guarded.
        executor.scheduleWithFixedDelay(() -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                log.warn("a periodic task failed; it runs again in {} ms", intervalMs, e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
