package io.frontier.launcher;

import static io.frontier.status.Checks.clientTypeFilter;
import static io.frontier.status.Checks.nonBlank;

import io.frontier.api.v1.ClientType;
import io.frontier.edge.EdgeNode;
import io.frontier.edge.session.Session;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.ReconcileResult;
import io.frontier.status.UserStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Standalone's UserStatus: the sessions of its one edge, read where the edge keeps them.
 *
 * <p>A second copy of every connection (an entry with its id and address as strings) cost
 * about 250 bytes per idle connection, and in one process there is nothing for it to
 * reconcile: the edge's registry already keeps the rules a store keeps across edges. A
 * device's new connection replaces its old one there (the edge closes the old with 409),
 * a connection leaves it only when its socket closes, and an edge that dies takes its
 * entries with the process. So reports change nothing here, and what is asked is made
 * from the sessions when asked.
 */
final class EdgeSessionStatus implements UserStatus {
    private final String epoch = UUID.randomUUID().toString();
    private volatile EdgeNode edge;
    private volatile String edgeInstance;
    private volatile boolean closed;

    /** Attaches the edge, which starts after this store: its session listener needs the control plane first. */
    void attach(EdgeNode edge, String edgeInstance) {
        this.edgeInstance = edgeInstance;
        this.edge = edge;
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        Objects.requireNonNull(entry, "entry: null (expected: non-null)");
        // The edge registered the session before reporting it, and closed the device's older one itself.
        return complete(ConnectResult.added());
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId, String connId) {
        // The edge unregistered the session before reporting it closed.
        return complete(Boolean.TRUE);
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        return select(nonBlank(userId, "userId"), null, clientTypeFilter(clientTypes, "clientTypes"));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        return select(nonBlank(userId, "userId"), nonBlank(deviceId, "deviceId"), clientTypeFilter(clientTypes, "clientTypes"));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        nonBlank(edgeId, "edgeId");
        EdgeNode edge = this.edge;
        List<DeviceEntry> entries = new ArrayList<>();
        if (edge != null && edge.edgeId().equals(edgeId)) {
            String instance = edgeInstance;
            edge.forEachSession(session -> entries.add(entry(edge, instance, session)));
        }
        return complete(entries);
    }

    /** Nothing to purge: the only edge's entries leave with its sessions. */
    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        return complete(0);
    }

    /** Nothing to purge: the only edge's entries leave with its sessions. */
    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        return complete(0);
    }

    @Override
    public CompletionStage<Set<String>> knownEdges() {
        EdgeNode edge = this.edge;
        return complete(edge == null ? Set.of() : Set.of(edge.edgeId()));
    }

    @Override
    public CompletionStage<String> epoch() {
        return complete(epoch);
    }

    /** Nothing to adopt: the entries are the edge's sessions, which this store never loses. */
    @Override
    public void adoptEpoch(String epoch) {
    }

    /** The only edge is always in step: its sessions are the entries. */
    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        EdgeNode edge = this.edge;
        return complete(edge == null || !this.epoch.equals(epoch) ? Map.of() : Map.of(edge.edgeId(), edgeInstance));
    }

    /** Nothing to converge: the entries are the edge's sessions. */
    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance, Collection<DeviceEntry> snapshot) {
        return complete(new ReconcileResult(0, 0, List.of()));
    }

    @Override
    public void close() {
        closed = true;
    }

    private CompletionStage<List<DeviceEntry>> select(String userId, String deviceId, Set<ClientType> types) {
        EdgeNode edge = this.edge;
        if (edge == null) {
            return complete(List.of());
        }
        List<? extends Session> sessions = edge.sessionsOf(userId);
        List<DeviceEntry> entries = new ArrayList<>(sessions.size());
        String instance = edgeInstance;
        for (Session session : sessions) {
            if (types.contains(session.clientType()) && (deviceId == null || deviceId.equals(session.deviceId()))) {
                entries.add(entry(edge, instance, session));
            }
        }
        if (entries.size() > 1) {
            entries.sort(DeviceEntry.WITHIN_USER);
        }
        return complete(entries);
    }

    private static DeviceEntry entry(EdgeNode edge, String instance, Session session) {
        return new DeviceEntry(session.userId(), session.clientType(), session.deviceId(), session.connId(),
                edge.edgeId(), instance, session.clientAddr(), session.connectedAtMs());
    }

    private <T> CompletionStage<T> complete(T value) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("UserStatus is closed"));
        }
        return CompletableFuture.completedFuture(value);
    }
}
