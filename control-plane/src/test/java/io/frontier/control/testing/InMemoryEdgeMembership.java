package io.frontier.control.testing;

import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.cluster.EdgeMembership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edge registrations the test makes and removes. Listeners hear of each change at once, on the
 * caller's thread; a listener that starts watching gets the edges registered so far, and
 * {@code onSynced()} when {@link #listed()} was called before (as discovery after its first listing).
 */
public final class InMemoryEdgeMembership implements EdgeMembership {
    private final Map<String, EdgeRecord> edges = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private boolean listed;

    /** Returns a record of {@code edgeId}'s instance {@code instanceId}, reachable at {@code grpcAddress}. */
    public static EdgeRecord edge(String edgeId, String instanceId, String grpcAddress) {
        return EdgeRecord.newBuilder().setEdgeId(edgeId).setInstanceId(instanceId).setGrpcAddress(grpcAddress).build();
    }

    @Override
    public synchronized Subscription watch(Listener listener) {
        listeners.add(listener);
        edges.values().forEach(listener::onPut);
        if (listed) {
            listener.onSynced();
        }
        return () -> {
            synchronized (this) {
                listeners.remove(listener);
            }
        };
    }

    /** Registers an edge (or a new record of it). */
    public synchronized void put(EdgeRecord edge) {
        edges.put(edge.getEdgeId(), edge);
        listeners.forEach(listener -> listener.onPut(edge));
    }

    /** Removes an edge's registration, as when its lease expired. */
    public synchronized void delete(String edgeId) {
        EdgeRecord previous = edges.remove(edgeId);
        listeners.forEach(listener -> listener.onDelete(edgeId, previous));
    }

    /** Reports a registration gone whose record could not be read: its instance is unknown. */
    public synchronized void deleteUnreadable(String edgeId) {
        edges.remove(edgeId);
        listeners.forEach(listener -> listener.onDelete(edgeId, null));
    }

    /** Says that the listing is whole, now and to listeners that come later. */
    public synchronized void listed() {
        listed = true;
        listeners.forEach(Listener::onSynced);
    }

    /** Returns how many listeners watch now. */
    public synchronized int watchers() {
        return listeners.size();
    }
}
