package io.frontier.control.cluster;

import java.time.Duration;

/**
 * Runs a task again and again, one run at a time, until closed: the clock of the sweep and the epoch
 * check. Tests pass one they drive by hand.
 */
public interface Ticker extends AutoCloseable {
    /** Starts running {@code tick}; called once. */
    void start(Runnable tick);

    /** Stops the ticks; one that is running may finish. */
    @Override
    void close();

    /**
     * Returns a ticker that runs its task every {@code interval}, the first one {@code interval} after
     * {@link #start}, on a daemon thread of its own named {@code threadName}. A run that throws is
     * logged and the next one comes as planned.
     */
    static Ticker every(Duration interval, String threadName) {
        return new ScheduledTicker(interval, threadName);
    }
}
