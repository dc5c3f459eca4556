package io.frontier.edge.internal.session;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongBinaryOperator;

/**
 * Connects per second per client address, with a burst: each address has a bucket of
 * {@code burst} connects, refilled at {@code perSecond}. The buckets live in a table of fixed
 * size ({@link AddressSlots}), so that a flood from any number of addresses costs no memory,
 * and nothing forgets an address that connects too often. Thread-safe, lock-free, and it
 * allocates nothing per connect; time is the caller's, in nanoseconds of one ticker.
 */
final class ConnectRates {
    private final long intervalNanos;
    private final long burstNanos;
    private final AddressSlots slots;
    /**
     * Per slot, when its bucket is full again (the generic cell rate algorithm's theoretical
     * arrival time): each connect moves it on by one interval; a slot whose time is more than
     * the burst ahead of now has no connect left.
     */
    private final AtomicLongArray fullAt;
    private final LongBinaryOperator take;

    ConnectRates(int perSecond, int burst) {
        this(perSecond, burst, AddressSlots.DEFAULT_SLOTS_PER_ROW, new SecureRandom().nextLong());
    }

    ConnectRates(int perSecond, int burst, int slotsPerRow, long seed) {
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.burstNanos = (burst - 1) * intervalNanos;
        this.slots = new AddressSlots(slotsPerRow, seed);
        this.fullAt = new AtomicLongArray(slots.size());
        for (int i = 0; i < fullAt.length(); i++) {
            fullAt.set(i, Long.MIN_VALUE);
        }
        long interval = intervalNanos;
        this.take = (at, now) -> Math.max(at, now) + interval;
    }

    /** Counts a connect from {@code address} at {@code now}; returns false, counting nothing, over the rate. */
    boolean tryConnect(InetAddress address, long now) {
        long key = AddressSlots.key(address);
        int first = slots.first(key);
        int second = slots.second(key);
        if (!hasRoom(first, now) && !hasRoom(second, now)) {
            return false;
        }
        fullAt.accumulateAndGet(first, now, take);
        fullAt.accumulateAndGet(second, now, take);
        return true;
    }

    private boolean hasRoom(int slot, long now) {
        return Math.max(fullAt.get(slot), now) - now <= burstNanos;
    }
}
