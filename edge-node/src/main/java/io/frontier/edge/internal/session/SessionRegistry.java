package io.frontier.edge.internal.session;

import io.frontier.protocol.ConnIds;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final int shardShift;
    // Keyed by the id as the edge keeps it, not its text: a Long costs less than the string per connection.
    private final ConcurrentHashMap<Long, DeviceSession> byConnId = new ConcurrentHashMap<>();
    private final ConnIds connIds;

    /**
     * Creates a registry of {@code shardCount} shards, rounded up to a power of two, whose
     * sessions have ids of {@code connIds}.
     */
    public SessionRegistry(int shardCount, ConnIds connIds) {
        this.connIds = connIds;
        if (shardCount <= 0 || shardCount > 1 << 16) {
            throw new IllegalArgumentException("shardCount: " + shardCount + " (expected: 1..65536)");
        }
        int n = Integer.highestOneBit(shardCount - 1) << 1;
        shards = new Shard[Math.max(1, n)];
        shardShift = 32 - Integer.numberOfTrailingZeros(shards.length);
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard();
        }
    }

    /**
     * Adds {@code session}, unless its user holds {@code maxPerUser} sessions of other devices
     * already. Returns the session it replaces (the same device's older connection, which the
     * caller closes with 409), null, or {@code session} itself when it is refused and nothing
     * changed.
     */
    public DeviceSession register(DeviceSession session, int maxPerUser) {
        Shard shard = shard(session.userId());
        DeviceSession previous = null;
        synchronized (shard) {
            Object held = shard.users.get(session.userId());
            if (!admits(held, session.deviceId(), maxPerUser)) {
                return session;
            }
            if (held == null) {
                shard.users.put(session.userId(), session);
            } else if (held instanceof DeviceSession one) {
                if (one.deviceId().equals(session.deviceId())) {
                    previous = one;
                    shard.users.put(session.userId(), session);
                } else {
                    shard.users.put(session.userId(), new DeviceSession[] {one, session});
                }
            } else {
                DeviceSession[] several = (DeviceSession[]) held;
                int i = indexOfDevice(several, session.deviceId());
                DeviceSession[] next;
                if (i >= 0) {
                    previous = several[i];
                    next = several.clone();
                    next[i] = session;
                } else {
                    next = Arrays.copyOf(several, several.length + 1);
                    next[several.length] = session;
                }
                shard.users.put(session.userId(), next);
            }
            byConnId.put(session.id(), session);
        }
        return previous;
    }

    /**
     * Removes {@code session} if it is still registered; the device's newer
     * connection, if any, stays. Returns whether the device entry was this session's.
     */
    public boolean unregister(DeviceSession session) {
        Shard shard = shard(session.userId());
        synchronized (shard) {
            byConnId.remove(session.id(), session);
            Object held = shard.users.get(session.userId());
            if (held == session) {
                shard.users.remove(session.userId());
                return true;
            }
            if (!(held instanceof DeviceSession[] several)) {
                return false;
            }
            int i = -1;
            for (int j = 0; j < several.length && i < 0; j++) {
                if (several[j] == session) {
                    i = j;
                }
            }
            if (i < 0) {
                return false;
            }
            if (several.length == 2) {
                shard.users.put(session.userId(), several[1 - i]);
            } else {
                DeviceSession[] next = new DeviceSession[several.length - 1];
                System.arraycopy(several, 0, next, 0, i);
                System.arraycopy(several, i + 1, next, i, several.length - i - 1);
                shard.users.put(session.userId(), next);
            }
            return true;
        }
    }

    /**
     * Returns whether {@code deviceId} of {@code userId} may come online now without its user
     * holding more than {@code maxPerUser} sessions; {@link #register} decides again.
     */
    public boolean admits(String userId, String deviceId, int maxPerUser) {
        Shard shard = shard(userId);
        synchronized (shard) {
            return admits(shard.users.get(userId), deviceId, maxPerUser);
        }
    }

    /** A device already online takes its own place, so its reconnect is never refused. */
    private static boolean admits(Object held, String deviceId, int maxPerUser) {
        if (held == null) {
            return true;
        }
        if (held instanceof DeviceSession one) {
            return maxPerUser > 1 || one.deviceId().equals(deviceId);
        }
        DeviceSession[] several = (DeviceSession[]) held;
        return several.length < maxPerUser || indexOfDevice(several, deviceId) >= 0;
    }

    private static int indexOfDevice(DeviceSession[] sessions, String deviceId) {
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i].deviceId().equals(deviceId)) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the session of {@code connId}, or null. */
    public DeviceSession byConnId(String connId) {
        return connIds.isOwn(connId) ? byConnId.get(connIds.idOf(connId)) : null;
    }

    /** Returns the number of registered sessions. */
    public int size() {
        return byConnId.size();
    }

    /** Returns the sessions of one user. */
    public List<DeviceSession> byUser(String userId) {
        Shard shard = shard(userId);
        Object held;
        synchronized (shard) {
            held = shard.users.get(userId);
        }
        // Arrays are replaced, never changed, so this one may be read outside the lock.
        if (held == null) {
            return new ArrayList<>(0);
        }
        return held instanceof DeviceSession one ? new ArrayList<>(List.of(one)) : new ArrayList<>(List.of((DeviceSession[]) held));
    }

    /** Calls {@code action} for every session; sessions may come and go meanwhile. */
    public void forEach(Consumer<DeviceSession> action) {
        byConnId.values().forEach(action);
    }

    private Shard shard(String userId) {
        // The shard comes from the high bits of a multiplicative hash: the shard maps bucket
        // by the low bits of the same hash, and users of one shard must not share those.
        return shards[(int) (((userId.hashCode() * 0x9E3779B9L) & 0xFFFFFFFFL) >>> shardShift)];
    }

    private static final class Shard {
        /**
         * Each user's session, or an array of its sessions when several of its devices are
         * online: no key object or map per user, as most users have one device. Guarded by
         * this shard's monitor.
         */
        final Map<String, Object> users = new HashMap<>();
    }
}
