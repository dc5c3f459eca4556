package io.frontier.status;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisTimeoutException;

/**
 * What a failed Redis call says to the callers of {@link RedisUserStatus}: a
 * {@link StatusStoreUnavailableException} with a few words, never Redisson's message, which
 * carries the command with its Lua script and arguments (a kilobyte and more).
 */
public final class RedisFailures {
    private RedisFailures() {
    }

    /** Returns {@code error} as a StatusStoreUnavailableException; one that already is one stays as it is. */
    public static RuntimeException translate(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof StatusStoreUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof IllegalArgumentException invalid) {
            // A caller's mistake, not Redis's: it keeps its own message.
            return invalid;
        }
        return new StatusStoreUnavailableException(describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof RedisConnectionException || causedBy(cause, IOException.class)) {
            // Redisson wraps a refused connection in a plain RedisException ("Unexpected exception ...").
            return "Redis unreachable";
        }
        if (cause instanceof RedisResponseTimeoutException) {
            return "Redis did not answer in time";
        }
        if (cause instanceof RedisTimeoutException) {
            // No free connection, or a command Netty did not write in time: this process is behind, not Redis.
            return "too busy to send the command to Redis in time";
        }
        if (cause instanceof RedisLoadingException) {
            return "Redis is loading its data";
        }
        if (cause instanceof RedissonShutdownException) {
            return "status store is closed";
        }
        if (cause instanceof RedisException) {
            return "Redis failed (" + cause.getClass().getSimpleName() + ")";
        }
        return "Redis call failed (" + cause.getClass().getSimpleName() + ")";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
