package io.frontier.status;

import static io.frontier.status.Entries.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryUserStatusTest extends UserStatusContract {

    private final InMemoryUserStatus status = new InMemoryUserStatus();

    @AfterEach
    void closeStore() {
        status.close();
    }

    @Override
    protected UserStatus status() {
        return status;
    }

    /** The in-memory store completes every stage before it returns it. */
    @Override
    protected <T> T await(CompletionStage<T> stage) {
        return Entries.done(stage);
    }

    @Test
    void close_makesLaterCallsFailAndCanBeRepeated() {
        await(status.connected(tcp("u1", "d1").build()));

        status.close();
        status.close();

        assertThat(status.devices("u1", Set.of()).toCompletableFuture())
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> status.connected(tcp("u1", "d2").build()).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
