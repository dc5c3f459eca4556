package io.frontier.status;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The entries of each edge, so that listing or purging an edge reads only that edge's entries.
 *
 * <p>Thread-safe. A bucket is changed only inside {@code byEdge.compute} of its edge id, so that dropping an
 * empty bucket never loses an entry put into it at the same time. The caller serializes the changes of one
 * key (see {@link InMemoryUserStatus}), which keeps the index equal to the stored entries.
 */
final class EdgeIndex {

    private final ConcurrentMap<String, Map<DeviceKey, DeviceEntry>> byEdge = new ConcurrentHashMap<>();

    /** Moves the index from {@code previous} to {@code next}, either of which is null when there is none. */
    void move(DeviceEntry previous, DeviceEntry next) {
        if (previous != null && (next == null || !previous.edgeId().equals(next.edgeId()))) {
            remove(previous);
        }
        if (next != null) {
            put(next);
        }
    }

    /** Returns a copy of the entries that name {@code edgeId}. */
    List<DeviceEntry> entries(String edgeId) {
        Map<DeviceKey, DeviceEntry> bucket = byEdge.get(edgeId);
        return bucket == null ? List.of() : List.copyOf(bucket.values());
    }

    /** Returns the ids of the edges that have entries. */
    Set<String> edgeIds() {
        return Set.copyOf(byEdge.keySet());
    }

    void clear() {
        byEdge.clear();
    }

    private void put(DeviceEntry entry) {
        byEdge.compute(entry.edgeId(), (edgeId, bucket) -> {
            Map<DeviceKey, DeviceEntry> target = bucket != null ? bucket : new ConcurrentHashMap<>();
            target.put(DeviceKey.of(entry), entry);
            return target;
        });
    }

    private void remove(DeviceEntry entry) {
        byEdge.computeIfPresent(entry.edgeId(), (edgeId, bucket) -> {
            bucket.remove(DeviceKey.of(entry), entry);
            return bucket.isEmpty() ? null : bucket;
        });
    }
}
