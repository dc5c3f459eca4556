package io.frontier.control.testing;

import io.frontier.api.v1.ClientType;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.ReconcileResult;
import io.frontier.status.UserStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link UserStatus} whose every stage fails, as when Redis cannot be reached, or never completes. */
public final class FailingUserStatus implements UserStatus {
    private final RuntimeException failure;

    /** Creates a store whose stages fail with {@code failure}; null: they never complete. */
    public FailingUserStatus(RuntimeException failure) {
        this.failure = failure;
    }

    /** Returns a store whose stages never complete, as a Redis that takes commands and answers none. */
    public static FailingUserStatus silent() {
        return new FailingUserStatus(null);
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        return failed();
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId, String connId) {
        return failed();
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        return failed();
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        return failed();
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        return failed();
    }

    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        return failed();
    }

    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        return failed();
    }

    @Override
    public CompletionStage<java.util.Set<String>> knownEdges() {
        return failed();
    }

    @Override
    public CompletionStage<String> epoch() {
        return failed();
    }

    @Override
    public void adoptEpoch(String epoch) {
    }

    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        return failed();
    }

    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance,
                                                      Collection<DeviceEntry> snapshot) {
        return failed();
    }

    @Override
    public void close() {
    }

    private <T> CompletionStage<T> failed() {
        return failure == null ? new CompletableFuture<>() : CompletableFuture.failedFuture(failure);
    }
}
