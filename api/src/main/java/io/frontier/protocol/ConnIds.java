package io.frontier.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Connection ids that are unique across edges: the seconds of the clock, a counter,
 * and the edge's advertised address and port, as hex. Any node can tell from a
 * connection id which edge holds it.
 *
 * <pre>
 *  time (u32 s) | counter (u32) | IPv4 (4 bytes) or IPv6 (16 bytes) | port (u16)
 *  6565a3b2       00000001        7f000001                            2328
 * </pre>
 *
 * <p>The counter starts at a random value so that an edge restarted within the
 * same second does not hand out the ids of its previous life.
 */
public final class ConnIds {
    private static final int V4_LENGTH = (4 + 4 + 4 + 2) * 2;
    private static final int V6_LENGTH = (4 + 4 + 16 + 2) * 2;
    private static final HexFormat HEX = HexFormat.of();

    private final String addressHex;
    private final AtomicInteger counter = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final LongSupplier clockMillis;

    /** Creates a generator for the edge that devices reach at {@code edgeAddress}. */
    public ConnIds(InetSocketAddress edgeAddress, LongSupplier clockMillis) {
        InetAddress address = edgeAddress.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("edgeAddress: " + edgeAddress + " (expected: a resolved address)");
        }
        this.addressHex = HEX.formatHex(address.getAddress()) + String.format("%04x", edgeAddress.getPort());
        this.clockMillis = clockMillis;
    }

    /** Returns a new connection id. */
    public String next() {
        return format(nextId());
    }

    /**
     * Returns a new connection id as the edge keeps it: its time and counter, the part that
     * differs between the edge's connections. {@link #format} gives its text.
     */
    public long nextId() {
        long seconds = clockMillis.getAsLong() / 1000;
        return seconds << 32 | (counter.getAndIncrement() & 0xFFFF_FFFFL);
    }

    /** Returns the text of connection id {@code id} of this edge. */
    public String format(long id) {
        return HEX.toHexDigits(id) + addressHex;
    }

    /** Returns whether {@code connId} is the text of a connection id of this edge; {@link #idOf} parses it. */
    public boolean isOwn(String connId) {
        if (connId == null || connId.length() != 16 + addressHex.length() || !connId.endsWith(addressHex)) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = connId.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id of {@code connId}, which {@link #isOwn} accepted. */
    public long idOf(String connId) {
        return HexFormat.fromHexDigitsToLong(connId, 0, 16);
    }

    /**
     * Returns the edge address encoded in {@code connId}.
     *
     * @throws IllegalArgumentException when {@code connId} is not a connection id
     */
    public static InetSocketAddress edgeAddress(String connId) {
        if (connId == null || (connId.length() != V4_LENGTH && connId.length() != V6_LENGTH)) {
            throw new IllegalArgumentException("conn_id: " + (connId == null ? "null" : Ids.quoted(connId))
                    + " (expected: " + V4_LENGTH + " or " + V6_LENGTH
                    + " hex digits, as the edge gave it)");
        }
        try {
            byte[] bytes = HEX.parseHex(connId);
            byte[] ip = new byte[bytes.length - 10];
            System.arraycopy(bytes, 8, ip, 0, ip.length);
            int port = ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException("conn_id: " + Ids.quoted(connId)
                    + " (expected: hex digits, as the edge gave it)", e);
        }
    }
}
