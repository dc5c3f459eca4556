package io.frontier.status;

import java.util.concurrent.CompletionStage;

class InMemoryUserStatusConcurrencyTest extends UserStatusConcurrencyContract {

    @Override
    protected UserStatus newStatus() {
        return new InMemoryUserStatus();
    }

    @Override
    protected int rounds() {
        return 20;
    }

    @Override
    protected int connectionsPerThread() {
        return 500;
    }

    /** The in-memory store completes every stage before it returns it. */
    @Override
    protected <T> T await(CompletionStage<T> stage) {
        return Entries.done(stage);
    }
}
