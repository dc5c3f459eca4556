package io.frontier.control.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The Push API's bounds on the steps it waits for: a step past its bound fails with a TimeoutException saying so. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * Returns {@code work}'s result, or a failure with a {@link TimeoutException} described by
     * {@code description} once {@code bound} has passed; {@code work} itself is left alone.
     */
    static <T> CompletableFuture<T> within(CompletableFuture<T> work, Duration bound, Supplier<String> description) {
        return work.copy().orTimeout(bound.toNanos(), TimeUnit.NANOSECONDS).exceptionallyCompose(error ->
                CompletableFuture.failedFuture(error instanceof TimeoutException && error.getMessage() == null
                        ? new TimeoutException(description.get()) : error));
    }

    /** Returns {@code duration} as the README writes durations: {@code 15 s}, {@code 200 ms}. */
    static String text(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
