package io.frontier.edge.session;

import io.netty.channel.Channel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One timer wheel for the deadlines of every connection (Hello and idle). Each
 * connection holds at most one {@link Timeout}; reads do not touch the wheel: the
 * handler records the time of its last read, and when the timeout fires it either
 * closes the connection or schedules the rest of the interval. Inserting and
 * cancelling are O(1), so 100k+ connections cost one thread and one small object each.
 */
public final class Deadlines implements AutoCloseable {
    private final HashedWheelTimer timer;

    /** Creates a wheel whose deadlines are precise to {@code tickMillis}. */
    public Deadlines(long tickMillis) {
        timer = new HashedWheelTimer(new DefaultThreadFactory("frontier-deadlines", true),
                tickMillis, TimeUnit.MILLISECONDS, 1024);
    }

    /**
     * What a deadline checks: the connection's handler itself, so that a deadline costs
     * its timeout alone, with no task object per connection or per rescheduling.
     * {@link #run()} is the check, called on the channel's event loop.
     */
    public interface Owner extends TimerTask, Runnable {
        /** Returns the channel whose event loop runs the check. */
        Channel channel();

        /** Hands the check to the channel's event loop, unless the channel closed. Wheel thread. */
        @Override
        default void run(Timeout timeout) {
            Channel channel = channel();
            if (channel.isActive()) {
                try {
                    channel.eventLoop().execute(this);
                } catch (RejectedExecutionException e) {
                    channel.close();
                }
            }
        }
    }

    /**
     * Runs {@code owner}'s check on its channel's event loop after {@code delayNanos},
     * unless the channel closed or the returned timeout was cancelled.
     */
    public Timeout schedule(Owner owner, long delayNanos) {
        return timer.newTimeout(owner, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.stop();
    }
}
