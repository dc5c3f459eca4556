package io.frontier.edge.internal.session;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongBinaryOperator;

/**
 * Failed authentications per client address, and the bans they earn: an address that fails
 * {@code max} times within a window is banned for a while, after which its count starts
 * again. Windows and bans live in tables of fixed size ({@link AddressSlots}): a flood of
 * failures from any number of addresses costs no memory, and nothing forgets a banned
 * address to make room. Thread-safe and lock-free; time is the caller's, in nanoseconds of
 * one ticker.
 */
final class AuthFailures {
    // A window is its start, in units of 2^20 ns (about a millisecond), above a 16-bit count.
    private static final int COUNT_BITS = 16;
    private static final long MAX_COUNT = (1L << COUNT_BITS) - 1;
    private static final int UNIT_SHIFT = 20;

    private final int max;
    private final long banNanos;
    private final AddressSlots slots;
    private final AtomicLongArray windows;
    private final AtomicLongArray bannedUntil;
    private final LongBinaryOperator count;

    AuthFailures(int max, long windowNanos, long banNanos) {
        this(max, windowNanos, banNanos, AddressSlots.DEFAULT_SLOTS_PER_ROW, new SecureRandom().nextLong());
    }

    AuthFailures(int max, long windowNanos, long banNanos, int slotsPerRow, long seed) {
        if (max < 1 || max > MAX_COUNT) {
            throw new IllegalArgumentException("max: " + max + " (expected: 1.." + MAX_COUNT + ")");
        }
        this.max = max;
        this.banNanos = banNanos;
        this.slots = new AddressSlots(slotsPerRow, seed);
        this.windows = new AtomicLongArray(slots.size());
        this.bannedUntil = new AtomicLongArray(slots.size());
        for (int i = 0; i < bannedUntil.length(); i++) {
            bannedUntil.set(i, Long.MIN_VALUE);
        }
        long windowUnits = Math.max(1, windowNanos >> UNIT_SHIFT);
        this.count = (window, now) -> {
            long n = window & MAX_COUNT;
            long unit = now >> UNIT_SHIFT;
            if (n == 0 || unit - (window >> COUNT_BITS) >= windowUnits) {
                return unit << COUNT_BITS | 1;
            }
            return n == MAX_COUNT ? window : window + 1;
        };
    }

    /** Returns whether {@code address} is banned at {@code now}. */
    boolean banned(InetAddress address, long now) {
        long key = AddressSlots.key(address);
        return bannedUntil.get(slots.first(key)) > now && bannedUntil.get(slots.second(key)) > now;
    }

    /** Counts a failed authentication of {@code address} at {@code now}; returns whether it earned a ban. */
    boolean failed(InetAddress address, long now) {
        long key = AddressSlots.key(address);
        int first = slots.first(key);
        int second = slots.second(key);
        long failures = Math.min(windows.accumulateAndGet(first, now, count) & MAX_COUNT,
                windows.accumulateAndGet(second, now, count) & MAX_COUNT);
        if (failures < max) {
            return false;
        }
        long until = now + banNanos;
        bannedUntil.accumulateAndGet(first, until, Math::max);
        bannedUntil.accumulateAndGet(second, until, Math::max);
        windows.set(first, 0);
        windows.set(second, 0);
        return true;
    }
}
