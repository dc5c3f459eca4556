package io.frontier.edge.internal.session;

import java.net.InetAddress;
import java.util.SplittableRandom;

/**
 * Where a client address's entries live in a table of fixed size: one slot in each of two
 * rows, picked by two hashes of the address seeded at random, so that nobody can choose
 * addresses that share the slots of another.
 *
 * <p>The table never grows, whatever the number of addresses: past its size addresses
 * share slots. A table that refuses an address only when every slot of it is over its
 * limit, and counts an address in all its slots, is then never looser for sharing: an
 * address over its limit stays refused, and another is refused with it only if it shares
 * both slots with addresses over theirs (about one in (slots per row / busy addresses)²).
 *
 * <p>An IPv6 address counts as its /64 network: one subscriber is given a whole /64, and
 * could otherwise pick a fresh address for every try.
 */
final class AddressSlots {
    /** Slots per row by default: 16,384, so that a few hundred addresses over a limit cost others nothing. */
    static final int DEFAULT_SLOTS_PER_ROW = 1 << 14;
    static final int ROWS = 2;

    private final int shift;
    private final long seed0;
    private final long seed1;

    /** Slots of {@code slotsPerRow} (a power of two) in each row, hashed with seeds drawn from {@code seed}. */
    AddressSlots(int slotsPerRow, long seed) {
        if (slotsPerRow < 2 || Integer.bitCount(slotsPerRow) != 1) {
            throw new IllegalArgumentException("slotsPerRow: " + slotsPerRow + " (expected: a power of two, at least 2)");
        }
        this.shift = 64 - Integer.numberOfTrailingZeros(slotsPerRow);
        SplittableRandom random = new SplittableRandom(seed);
        this.seed0 = random.nextLong();
        this.seed1 = random.nextLong();
    }

    /** Returns the number of slots of a table: both rows. */
    int size() {
        return ROWS << (64 - shift);
    }

    /** Returns what an address is known by: an IPv4 address whole, an IPv6 address its /64 network. */
    static long key(InetAddress address) {
        byte[] bytes = address.getAddress();
        // ffff:ffff::/64 is reserved, so no IPv6 network takes the keys of IPv4 addresses.
        long key = bytes.length == 4 ? 0xFFFF_FFFFL : 0;
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            key = key << 8 | (bytes[i] & 0xFF);
        }
        return key;
    }

    /** Returns the slot of {@code key} in the first row. */
    int first(long key) {
        return slot(key ^ seed0);
    }

    /** Returns the slot of {@code key} in the second row. */
    int second(long key) {
        return (1 << (64 - shift)) + slot(key ^ seed1);
    }

    private int slot(long h) {
        // MurmurHash3's finaliser: every bit of the key moves the top bits, which pick the slot.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) (h >>> shift);
    }
}
