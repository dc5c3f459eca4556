package io.frontier.control.push;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Push API's admission: how many calls are being answered, against a maximum. A call
 * past it is refused at once rather than queued, so that the calls taken keep their
 * latency and nothing grows with a burst.
 */
final class InFlight {
    private final int max;
    private final AtomicInteger calls = new AtomicInteger();

    InFlight(int max) {
        this.max = max;
    }

    /** Takes a place for one call; returns false, taking none, when all {@code max} are taken. */
    boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code places} (a call that does the work of several, at most {@link #max} of them);
     * returns false, taking none, when fewer are free.
     */
    boolean tryAcquire(int places) {
        if (calls.addAndGet(places) > max) {
            calls.addAndGet(-places);
            return false;
        }
        return true;
    }

    /** Gives back the place of a call that was answered. */
    void release() {
        release(1);
    }

    /** Gives back the places a call took. */
    void release(int places) {
        calls.addAndGet(-places);
    }

    int max() {
        return max;
    }
}
