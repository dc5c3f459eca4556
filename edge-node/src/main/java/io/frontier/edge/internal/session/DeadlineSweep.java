package io.frontier.edge.internal.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of every session of one event loop (Hello, idle, pings, a Bye that does not
 * leave), checked by one task of that loop every tick. A session costs two links and a long,
 * not a timer entry of its own, and reads never touch the sweep: a session moves its own
 * deadline when the sweep finds it due. Time is the loop's own ticker, so a test on an
 * {@code EmbeddedChannel} drives every deadline with {@code advanceTimeBy}.
 *
 * <p>Confined to its event loop: no lock.
 */
final class DeadlineSweep implements Runnable {
    private final EventExecutor loop;
    private final long tickNanos;
    private final Runnable onEmpty;
    private DeviceSession head;
    private int size;
    private ScheduledFuture<?> task;
    // The session the running sweep checks next, kept valid when a check removes sessions.
    private DeviceSession cursor;

    DeadlineSweep(EventExecutor loop, long tickNanos, Runnable onEmpty) {
        this.loop = loop;
        this.tickNanos = tickNanos;
        this.onEmpty = onEmpty;
    }

    void add(DeviceSession session) {
        session.sweepNext = head;
        session.sweepPrev = null;
        if (head != null) {
            head.sweepPrev = session;
        }
        head = session;
        size++;
        if (task == null) {
            task = loop.scheduleWithFixedDelay(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    void remove(DeviceSession session) {
        if (session.sweepPrev == null && head != session) {
            return;
        }
        if (cursor == session) {
            cursor = session.sweepNext;
        }
        if (session.sweepPrev != null) {
            session.sweepPrev.sweepNext = session.sweepNext;
        } else {
            head = session.sweepNext;
        }
        if (session.sweepNext != null) {
            session.sweepNext.sweepPrev = session.sweepPrev;
        }
        session.sweepPrev = null;
        session.sweepNext = null;
        if (--size == 0) {
            task.cancel(false);
            task = null;
            onEmpty.run();
        }
    }

    int size() {
        return size;
    }

    @Override
    public void run() {
        long now = loop.ticker().nanoTime();
        cursor = head;
        while (cursor != null) {
            DeviceSession session = cursor;
            cursor = session.sweepNext;
            if (now - session.deadlineNanos() >= 0) {
                session.deadline(now);
            }
        }
    }
}
