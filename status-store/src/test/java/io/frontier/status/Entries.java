package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test fixtures: entries with sensible defaults, and the value of a stage. */
final class Entries {

    /** How long a test waits for one call: long enough for a slow CI machine, short enough to show a hang. */
    static final Duration AWAIT = Duration.ofSeconds(10);

    private Entries() {
    }

    static Builder tcp(String userId, String deviceId) {
        return new Builder(userId, ClientType.CLIENT_TYPE_TCP, deviceId);
    }

    static Builder ws(String userId, String deviceId) {
        return new Builder(userId, ClientType.CLIENT_TYPE_WS, deviceId);
    }

    /** Returns the value of {@code stage}, which the in-memory store must have completed already. */
    static <T> T done(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    /** Returns the value of {@code stage}, failing if it takes more than {@link #AWAIT} to complete. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the stage did not complete within " + AWAIT, e);
        } catch (ExecutionException e) {
            throw new AssertionError("the stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static final class Builder {
        private final String userId;
        private final ClientType clientType;
        private final String deviceId;
        private String connId = "c1";
        private String edgeId = "edge-1";
        private String edgeInstance = "run-1";
        private long connectedAtMs = 1_000;
        private String clientAddr = "10.0.0.7:40000";

        private Builder(String userId, ClientType clientType, String deviceId) {
            this.userId = userId;
            this.clientType = clientType;
            this.deviceId = deviceId;
        }

        Builder conn(String connId) {
            this.connId = connId;
            return this;
        }

        Builder edge(String edgeId, String edgeInstance) {
            this.edgeId = edgeId;
            this.edgeInstance = edgeInstance;
            return this;
        }

        Builder addr(String clientAddr) {
            this.clientAddr = clientAddr;
            return this;
        }

        Builder at(long connectedAtMs) {
            this.connectedAtMs = connectedAtMs;
            return this;
        }

        DeviceEntry build() {
            return new DeviceEntry(userId, clientType, deviceId, connId, edgeId, edgeInstance,
                    clientAddr, connectedAtMs);
        }
    }
}
