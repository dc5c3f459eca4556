package io.frontier.control;

import io.frontier.status.StatusStoreUnavailableException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The gRPC status a caller gets when a status store read fails. A store says what went wrong with a
 * {@link StatusStoreUnavailableException}, whose message is short and safe to pass on, and the control
 * plane with a {@link TimeoutException} of its own bounds; any other failure passes on only its type,
 * because its message may be a client library's, which carries the command with its script and arguments
 * (Redisson's: a kilobyte and more, and advice on its own threads and pool that means nothing to a caller).
 * The failure stays the status's cause, for logs; gRPC does not send causes.
 */
public final class StoreFailures {
    /** What every description of a failed read starts with. */
    public static final String PREFIX = "status store unavailable: ";

    private StoreFailures() {
    }

    /**
     * Returns UNAVAILABLE, for the caller to retry, with a short description of {@code error}; a rejected
     * argument (the store checks its queries with messages of its own) is INVALID_ARGUMENT instead.
     */
    public static Status status(Throwable error) {
        Throwable cause = cause(error);
        if (cause instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(Descriptions.brief(cause)).withCause(cause);
        }
        String description = cause instanceof StatusStoreUnavailableException || cause instanceof TimeoutException
                ? Descriptions.brief(cause)
                : "it failed (" + cause.getClass().getSimpleName() + ")";
        return Status.UNAVAILABLE.withDescription(PREFIX + description).withCause(cause);
    }

    /** Returns what failed, unwrapped from the CompletionException or ExecutionException a stage or get sees. */
    public static Throwable cause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
