package io.frontier.control.testing;

import io.frontier.api.v1.ClientType;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.InMemoryUserStatus;
import io.frontier.status.ReconcileResult;
import io.frontier.status.UserStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory {@link UserStatus} that can lose its data as a Redis restarted without persistence
 * does: {@link #restart()} leaves it empty, with a new epoch.
 */
public final class RestartableUserStatus implements UserStatus {
    private volatile InMemoryUserStatus store = new InMemoryUserStatus();
    private volatile String adopted;

    /** Forgets every entry and takes a new epoch. */
    public void restart() {
        InMemoryUserStatus lost = store;
        store = new InMemoryUserStatus();
        lost.close();
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        return store.connected(entry);
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId, String connId) {
        return store.disconnected(userId, clientType, deviceId, connId);
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        return store.devices(userId, clientTypes);
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        return store.device(userId, deviceId, clientTypes);
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        return store.edgeEntries(edgeId);
    }

    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        return store.purgeEdge(edgeId, edgeInstance);
    }

    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        return store.purgeEdgeExcept(edgeId, keepInstance);
    }

    @Override
    public CompletionStage<Set<String>> knownEdges() {
        return store.knownEdges();
    }

    @Override
    public CompletionStage<String> epoch() {
        return store.epoch();
    }

    @Override
    public void adoptEpoch(String epoch) {
        adopted = epoch;
    }

    /** Returns the epoch adopted last, or null. */
    public String adopted() {
        return adopted;
    }

    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        return store.syncedEdges(epoch);
    }

    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance,
                                                      Collection<DeviceEntry> snapshot) {
        return store.reconcile(edgeId, edgeInstance, snapshot);
    }

    @Override
    public void close() {
        store.close();
    }
}
