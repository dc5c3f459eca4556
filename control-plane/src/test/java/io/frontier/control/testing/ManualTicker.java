package io.frontier.control.testing;

import io.frontier.control.cluster.Ticker;

/** A {@link Ticker} the test drives: each {@link #tick()} runs the task once, on the test's thread. */
public final class ManualTicker implements Ticker {
    private Runnable task;
    private boolean closed;

    @Override
    public synchronized void start(Runnable tick) {
        if (task != null) {
            throw new IllegalStateException("started twice");
        }
        task = tick;
    }

    /** Runs the task once, as if its interval had passed. */
    public void tick() {
        Runnable run;
        synchronized (this) {
            if (task == null || closed) {
                throw new IllegalStateException(closed ? "closed" : "not started");
            }
            run = task;
        }
        run.run();
    }

    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
