package io.frontier.control.push;

import io.frontier.control.edges.EdgeUnavailableException;
import io.frontier.control.metrics.EdgeCallMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** How the Push API calls edges and reads their failures. */
final class EdgeCalls {
    private EdgeCalls() {
    }

    /** Starts a call; a gateway that throws instead of failing its future fails the call the same way. */
    static <T> CompletableFuture<T> safely(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Returns what failed, unwrapped from the CompletionException a dependent stage sees. */
    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Returns how a call that ended with {@code error} (null: none) counts: an unreachable edge's devices are offline. */
    static EdgeCallMetrics.Result result(Throwable error) {
        if (error == null) {
            return EdgeCallMetrics.Result.OK;
        }
        return cause(error) instanceof EdgeUnavailableException ? EdgeCallMetrics.Result.UNAVAILABLE
                : EdgeCallMetrics.Result.FAILED;
    }

    /** Returns the failure's message, or its type when it has none. */
    static String reason(Throwable error) {
        Throwable cause = cause(error);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
