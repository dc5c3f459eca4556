package io.frontier.control.metrics;

import io.frontier.api.v1.ClientType;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.ReconcileResult;
import io.frontier.status.UserStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link UserStatus} whose calls are timed and whose failures are counted, by operation. The meters are
 * made once; a call costs the stage its result completes, as the store's own calls do.
 */
public final class MeteredUserStatus implements UserStatus {
    private enum Op {
        CONNECTED, DISCONNECTED, DEVICES, DEVICE, EDGE_ENTRIES, PURGE_EDGE, KNOWN_EDGES, EPOCH, SYNCED_EDGES, RECONCILE
    }

    private final UserStatus store;
    private final Timer[] latency = new Timer[Op.values().length];
    private final Counter[] errors = new Counter[Op.values().length];

    public MeteredUserStatus(UserStatus store, MeterRegistry registry) {
        this.store = store;
        for (Op op : Op.values()) {
            String name = op.name().toLowerCase(java.util.Locale.ROOT);
            latency[op.ordinal()] = Timer.builder("frontier.status.store")
                    .description("Calls of the status store (Redis in a cluster), by operation")
                    .tag("operation", name).serviceLevelObjectives(ApiCallMetrics.BUCKETS).register(registry);
            errors[op.ordinal()] = Counter.builder("frontier.status.store.errors")
                    .description("Calls of the status store that failed, by operation")
                    .tag("operation", name).register(registry);
        }
    }

    private <T> CompletionStage<T> timed(Op op, CompletionStage<T> call) {
        long start = System.nanoTime();
        return call.whenComplete((result, error) -> {
            latency[op.ordinal()].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (error != null) {
                errors[op.ordinal()].increment();
            }
        });
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        return timed(Op.CONNECTED, store.connected(entry));
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId, String connId) {
        return timed(Op.DISCONNECTED, store.disconnected(userId, clientType, deviceId, connId));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        return timed(Op.DEVICES, store.devices(userId, clientTypes));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        return timed(Op.DEVICE, store.device(userId, deviceId, clientTypes));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        return timed(Op.EDGE_ENTRIES, store.edgeEntries(edgeId));
    }

    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        return timed(Op.PURGE_EDGE, store.purgeEdge(edgeId, edgeInstance));
    }

    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        return timed(Op.PURGE_EDGE, store.purgeEdgeExcept(edgeId, keepInstance));
    }

    @Override
    public CompletionStage<Set<String>> knownEdges() {
        return timed(Op.KNOWN_EDGES, store.knownEdges());
    }

    @Override
    public CompletionStage<String> epoch() {
        return timed(Op.EPOCH, store.epoch());
    }

    @Override
    public void adoptEpoch(String epoch) {
        store.adoptEpoch(epoch);
    }

    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        return timed(Op.SYNCED_EDGES, store.syncedEdges(epoch));
    }

    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance,
                                                      Collection<DeviceEntry> snapshot) {
        return timed(Op.RECONCILE, store.reconcile(edgeId, edgeInstance, snapshot));
    }

    @Override
    public void close() {
        store.close();
    }
}
