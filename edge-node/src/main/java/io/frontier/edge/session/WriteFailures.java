package io.frontier.edge.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule both transports keep for a write that failed, whatever failed (the encoder, a class
 * that did not load, the socket): the session is over. Closing it lets the device reconnect
 * rather than wait on a connection that answers nothing.
 */
public final class WriteFailures {
    private static final Logger log = LoggerFactory.getLogger(WriteFailures.class);

    private WriteFailures() {
    }

    /** Returns a listener that hands the cause of a write that failed to {@code failed}. */
    public static ChannelFutureListener onFailure(Consumer<Throwable> failed) {
        return future -> {
            if (!future.isSuccess()) {
                failed.accept(future.cause());
            }
        };
    }

    /**
     * Closes {@code channel}; logs one line with the connection and the cause when this is the
     * first reason to close it and it was still open (a write to a closed channel fails as a matter of course).
     */
    public static void close(Channel channel, String connLabel, Throwable cause, boolean firstReason) {
        if (firstReason && channel.isActive()) {
            log.warn("conn {}: closing: a write failed: {}", connLabel, cause.toString());
        }
        channel.close();
    }
}
