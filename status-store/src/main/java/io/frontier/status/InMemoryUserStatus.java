package io.frontier.status;

import static io.frontier.status.Checks.clientTypeFilter;
import static io.frontier.status.Checks.deviceKey;
import static io.frontier.status.Checks.nonBlank;
import static io.frontier.status.Checks.nonNull;
import static io.frontier.status.Checks.sortedSnapshot;

import io.frontier.api.v1.ClientType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link UserStatus} held in this process's memory, for tests. Thread-safe;
 * every stage it returns is already complete.
 */
public final class InMemoryUserStatus implements UserStatus {

    /**
     * Each user's entries. Guarded per user id by {@code users.compute}: every change to a user's table,
     * and the matching change to {@link #edges}, happens inside the compute of that user id, so that
     * concurrent reports about one device are applied one at a time. Tables are immutable, so readers take
     * no lock.
     */
    private final ConcurrentMap<String, DeviceTable> users = new ConcurrentHashMap<>();
    private final EdgeIndex edges = new EdgeIndex();
    // Memory loses its data only with the process, which takes the control plane along.
    private final String epoch = java.util.UUID.randomUUID().toString();
    // Edge id -> instance of its last applied snapshot; one entry per edge id, gone with a purge of the id.
    private final ConcurrentMap<String, String> synced = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Creates an empty store. */
    public InMemoryUserStatus() {
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        Objects.requireNonNull(entry, "entry: null (expected: non-null)");
        return complete(() -> connect(entry));
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId,
                                                 String connId) {
        DeviceKey key = deviceKey(userId, clientType, deviceId);
        nonBlank(connId, "connId");
        return complete(() -> removeIf(key, recorded -> recorded.connId().equals(connId)));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        nonBlank(userId, "userId");
        Set<ClientType> filter = clientTypeFilter(clientTypes, "clientTypes");
        return complete(() -> select(userId, entry -> filter.contains(entry.clientType())));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        nonBlank(userId, "userId");
        nonBlank(deviceId, "deviceId");
        Set<ClientType> filter = clientTypeFilter(clientTypes, "clientTypes");
        return complete(() -> select(userId,
                entry -> entry.deviceId().equals(deviceId) && filter.contains(entry.clientType())));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        nonBlank(edgeId, "edgeId");
        return complete(() -> edges.entries(edgeId));
    }

    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        nonBlank(edgeId, "edgeId");
        nonNull(edgeInstance, "edgeInstance");
        return complete(() -> purge(edgeId, edgeInstance::equals));
    }

    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        nonBlank(edgeId, "edgeId");
        return complete(() -> {
            if (keepInstance == null) {
                synced.remove(edgeId);
            }
            return purge(edgeId, instance -> keepInstance == null || !instance.equals(keepInstance));
        });
    }

    @Override
    public CompletionStage<String> epoch() {
        return CompletableFuture.completedFuture(epoch);
    }

    /** Does nothing: this store's epoch never changes. */
    @Override
    public void adoptEpoch(String epoch) {
        nonNull(epoch, "epoch");
    }

    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        nonNull(epoch, "epoch");
        return complete(() -> epoch.equals(this.epoch) ? Map.copyOf(synced) : Map.of());
    }

    @Override
    public CompletionStage<Set<String>> knownEdges() {
        return complete(() -> {
            Set<String> known = new HashSet<>(edges.edgeIds());
            known.addAll(synced.keySet());
            return Set.copyOf(known);
        });
    }

    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance,
                                                      Collection<DeviceEntry> snapshot) {
        nonBlank(edgeId, "edgeId");
        nonNull(edgeInstance, "edgeInstance");
        List<DeviceEntry> sorted = sortedSnapshot(snapshot, edgeId, edgeInstance);
        return complete(() -> {
            ReconcileResult result = converge(edgeId, sorted);
            synced.put(edgeId, edgeInstance);
            return result;
        });
    }

    @Override
    public void close() {
        closed = true;
        users.clear();
        edges.clear();
        synced.clear();
    }

    private ConnectResult connect(DeviceEntry entry) {
        DeviceKey key = DeviceKey.of(entry);
        ConnectResult[] result = new ConnectResult[1];
        users.compute(entry.userId(), (userId, table) -> {
            DeviceTable current = table != null ? table : DeviceTable.EMPTY;
            DeviceEntry recorded = current.get(key);
            result[0] = ConnectionOrder.judge(recorded, entry);
            if (!result[0].outcome().recordsReported()) {
                return table;
            }
            edges.move(recorded, entry);
            return current.with(entry);
        });
        return result[0];
    }

    /** Removes the entry under {@code key} if it is there and {@code stillMatches}; returns whether it did. */
    private boolean removeIf(DeviceKey key, Predicate<DeviceEntry> stillMatches) {
        boolean[] removed = {false};
        users.computeIfPresent(key.userId(), (userId, table) -> {
            DeviceEntry recorded = table.get(key);
            if (recorded == null || !stillMatches.test(recorded)) {
                return table;
            }
            edges.move(recorded, null);
            removed[0] = true;
            return table.without(key);
        });
        return removed[0];
    }

    private List<DeviceEntry> select(String userId, Predicate<DeviceEntry> filter) {
        DeviceTable table = users.get(userId);
        return table == null ? List.of() : table.select(filter);
    }

    /** Removes the entries of {@code edgeId} whose instance {@code selects}; returns how many it removed. */
    private int purge(String edgeId, Predicate<String> selects) {
        int removed = 0;
        for (DeviceEntry recorded : edges.entries(edgeId)) {
            if (selects.test(recorded.edgeInstance())
                    && removeIf(DeviceKey.of(recorded),
                            now -> now.edgeId().equals(edgeId) && selects.test(now.edgeInstance()))) {
                removed++;
            }
        }
        return removed;
    }

    private ReconcileResult converge(String edgeId, List<DeviceEntry> snapshot) {
        Set<ConnectionKey> held = new HashSet<>();
        for (DeviceEntry entry : snapshot) {
            held.add(ConnectionKey.of(entry));
        }
        int removed = 0;
        for (DeviceEntry recorded : edges.entries(edgeId)) {
            // Matching on the connection checked, not on the key, spares a connection the edge reported
            // after taking its snapshot.
            if (!held.contains(ConnectionKey.of(recorded))
                    && removeIf(DeviceKey.of(recorded), now -> now.connId().equals(recorded.connId()))) {
                removed++;
            }
        }
        int added = 0;
        List<ConnectResult> conflicts = new ArrayList<>();
        for (DeviceEntry entry : snapshot) {
            ConnectResult result = connect(entry);
            if (result.outcome().recordsReported()) {
                added++;
            }
            if (result.outcome().hasOther()) {
                conflicts.add(result);
            }
        }
        return new ReconcileResult(added, removed, conflicts);
    }

    private <T> CompletionStage<T> complete(Supplier<T> work) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("UserStatus is closed"));
        }
        return CompletableFuture.completedFuture(work.get());
    }
}
