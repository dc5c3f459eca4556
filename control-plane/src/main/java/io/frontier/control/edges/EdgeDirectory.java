package io.frontier.control.edges;

import io.frontier.api.v1.EdgeRecord;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edges alive now, as discovery reports them: by id, and by the address their
 * connection ids carry. Thread-safe; fed by a discovery watch.
 */
public final class EdgeDirectory {
    private final Map<String, EdgeRecord> byId = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, String> byConnIdAddress = new ConcurrentHashMap<>();

    /** Records an edge (new, or a new value of one known). */
    public void put(EdgeRecord edge) {
        EdgeRecord previous = byId.put(edge.getEdgeId(), edge);
        if (previous != null && !previous.getConnIdAddress().equals(edge.getConnIdAddress())) {
            byConnIdAddress.remove(address(previous.getConnIdAddress()), previous.getEdgeId());
        }
        InetSocketAddress address = address(edge.getConnIdAddress());
        if (address != null) {
            byConnIdAddress.put(address, edge.getEdgeId());
        }
    }

    /** Forgets an edge that is gone; returns whether it was known. */
    public boolean remove(String edgeId) {
        EdgeRecord previous = byId.remove(edgeId);
        if (previous == null) {
            return false;
        }
        InetSocketAddress address = address(previous.getConnIdAddress());
        if (address != null) {
            byConnIdAddress.remove(address, edgeId);
        }
        return true;
    }

    public Optional<EdgeRecord> get(String edgeId) {
        return Optional.ofNullable(byId.get(edgeId));
    }

    /** Returns the id of the edge whose connection ids carry {@code address}. */
    public Optional<String> edgeAt(InetSocketAddress address) {
        return Optional.ofNullable(byConnIdAddress.get(address));
    }

    public List<EdgeRecord> all() {
        return List.copyOf(byId.values());
    }

    /** Parses "ip:port" (or "[v6]:port"); null when the edge published none. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(host), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
