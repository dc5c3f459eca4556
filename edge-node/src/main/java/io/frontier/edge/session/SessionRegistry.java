package io.frontier.edge.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The edge's sessions, by connection id and by device. Devices are sharded by user
 * so that no single lock sees every connection, and every device of a user lives in
 * one shard; the connection-id index is a concurrent map.
 */
public final class SessionRegistry {
    private final Shard[] shards;
    private final ConcurrentHashMap<String, Session> byConnId = new ConcurrentHashMap<>();

    /** Creates a registry of {@code shardCount} shards, rounded up to a power of two. */
    public SessionRegistry(int shardCount) {
        if (shardCount <= 0 || shardCount > 1 << 16) {
            throw new IllegalArgumentException("shardCount: " + shardCount + " (expected: 1..65536)");
        }
        int n = Integer.highestOneBit(shardCount - 1) << 1;
        shards = new Shard[Math.max(1, n)];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard();
        }
    }

    /**
     * Adds {@code session}. Returns the session it replaces (the same device's older
     * connection, which the caller closes with 409), or null.
     */
    public Session register(Session session) {
        Shard shard = shard(session.userId());
        Session previous;
        synchronized (shard) {
            previous = shard.devices.put(new DeviceKey(session.userId(), session.deviceId()), session);
            byConnId.put(session.connId(), session);
        }
        return previous;
    }

    /**
     * Removes {@code session} if it is still registered; the device's newer
     * connection, if any, stays. Returns whether the device entry was this session's.
     */
    public boolean unregister(Session session) {
        Shard shard = shard(session.userId());
        synchronized (shard) {
            byConnId.remove(session.connId(), session);
            return shard.devices.remove(new DeviceKey(session.userId(), session.deviceId()), session);
        }
    }

    /** Returns the session of {@code connId}, or null. */
    public Session byConnId(String connId) {
        return byConnId.get(connId);
    }

    /** Returns the number of registered sessions. */
    public int size() {
        return byConnId.size();
    }

    /** Returns the sessions of one user. */
    public List<Session> byUser(String userId) {
        Shard shard = shard(userId);
        List<Session> result = new ArrayList<>(2);
        synchronized (shard) {
            for (Map.Entry<DeviceKey, Session> e : shard.devices.entrySet()) {
                if (e.getKey().userId().equals(userId)) {
                    result.add(e.getValue());
                }
            }
        }
        return result;
    }

    /** Calls {@code action} for every session; sessions may come and go meanwhile. */
    public void forEach(Consumer<Session> action) {
        byConnId.values().forEach(action);
    }

    private Shard shard(String userId) {
        int h = userId.hashCode();
        return shards[(h ^ (h >>> 16)) & (shards.length - 1)];
    }

    private static final class Shard {
        // Guarded by this shard's monitor.
        final Map<DeviceKey, Session> devices = new HashMap<>();
    }

    private record DeviceKey(String userId, String deviceId) {
    }
}
