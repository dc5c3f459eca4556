package io.frontier.status;

import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;

class InMemoryUserStatusEdgeTest extends UserStatusEdgeContract {

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
}
