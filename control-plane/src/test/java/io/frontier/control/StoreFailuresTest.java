package io.frontier.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.status.StatusStoreUnavailableException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StoreFailuresTest {
    /** What Redisson says when its Netty threads fall behind, with the command's script (shortened). */
    private static final String REDISSON = "Command still hasn't been written into connection! Check CPU usage of the"
            + " JVM. ... Try to increase nettyThreads setting. Netty pending tasks: 3, Node source: NodeSource"
            + " [slot=0], command: (EVALSHA), params: [\"local function entry(value)\\n  return cmsgpack.unpack(value)"
            + "\\nend\\n" + "local x = 1\n".repeat(100) + "] after 1 retry attempts";

    @Test
    void storeUnavailable_isUnavailableWithTheStoresShortMessage() {
        Status status = StoreFailures.status(new CompletionException(
                new StatusStoreUnavailableException("Redis did not answer in time", new IllegalStateException(REDISSON))));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo("status store unavailable: Redis did not answer in time");
        assertThat(status.getCause()).isInstanceOf(StatusStoreUnavailableException.class);
    }

    @Test
    void ownBound_isUnavailableWithItsMessage() {
        Status status = StoreFailures.status(new ExecutionException(new TimeoutException("it did not answer within 5 s")));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo("status store unavailable: it did not answer within 5 s");
    }

    @Test
    void anyOtherFailure_passesOnItsTypeOnly() {
        Status status = StoreFailures.status(new CompletionException(new IllegalStateException(REDISSON)));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo("status store unavailable: it failed (IllegalStateException)");
        assertThat(status.getCause()).hasMessage(REDISSON);
    }

    @Test
    void storeMessage_isCutShortAtItsFirstLine() {
        Status status = StoreFailures.status(new StatusStoreUnavailableException("Redis failed\n" + REDISSON, null));

        assertThat(status.getDescription()).isEqualTo("status store unavailable: Redis failed");
    }

    @Test
    void rejectedArgument_isInvalidArgument() {
        Status status = StoreFailures.status(new CompletionException(
                new IllegalArgumentException("userId: \"\" (expected: not blank)")));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("userId: \"\" (expected: not blank)");
    }
}
