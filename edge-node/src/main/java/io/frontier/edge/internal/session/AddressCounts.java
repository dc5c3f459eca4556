package io.frontier.edge.internal.session;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client IP address, each bounded. An address is in the table only
 * while it holds a connection, so the table is no larger than the edge's connections, and
 * usually far smaller: it costs an entry per address, nothing per connection.
 */
final class AddressCounts {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    AddressCounts(int max) {
        this.max = max;
    }

    /** Counts one more connection from {@code address}; returns false, counting nothing, at the maximum. */
    boolean tryOpen(InetAddress address) {
        boolean[] taken = {false};
        open.compute(address, (key, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Counts one connection fewer from {@code address}; forgets the address at none. */
    void closed(InetAddress address) {
        open.computeIfPresent(address, (key, n) -> n <= 1 ? null : n - 1);
    }

    /** Returns the connections open from {@code address}. */
    int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
