package io.frontier.status;

import java.util.List;
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

    /** The entries themselves, no key object per entry: a standalone gateway indexes every connection here. */
    private final ConcurrentMap<String, Set<DeviceEntry>> byEdge = new ConcurrentHashMap<>();

    /** Moves the index from {@code previous} to {@code next}, either of which is null when there is none. */
    void move(DeviceEntry previous, DeviceEntry next) {
        if (previous != null) {
            remove(previous);
        }
        if (next != null) {
            put(next);
        }
    }

    /** Returns a copy of the entries that name {@code edgeId}. */
    List<DeviceEntry> entries(String edgeId) {
        Set<DeviceEntry> bucket = byEdge.get(edgeId);
        return bucket == null ? List.of() : List.copyOf(bucket);
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
            Set<DeviceEntry> target = bucket != null ? bucket : ConcurrentHashMap.newKeySet();
            target.add(entry);
            return target;
        });
    }

    private void remove(DeviceEntry entry) {
        byEdge.computeIfPresent(entry.edgeId(), (edgeId, bucket) -> {
            bucket.remove(entry);
            return bucket.isEmpty() ? null : bucket;
        });
    }
}
