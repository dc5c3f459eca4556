package io.frontier.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of real {@code redis-server} processes on {@code 127.0.0.1}, masters only, for tests of
 * code that must keep to one hash slot per script or transaction. Slots are split evenly; the nodes meet
 * and agree before {@link #start(int)} returns. Each node uses its port plus 10000 as its cluster bus port.
 */
public final class RedisCluster implements AutoCloseable {

    /** The number of hash slots in a Redis Cluster. */
    private static final int SLOTS = 16_384;
    private static final Duration FORM_DEADLINE = Duration.ofSeconds(20);

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code masters} nodes, assigns them the slots, and returns once every node reports
     * {@code cluster_state:ok}.
     *
     * @throws IllegalArgumentException if {@code masters} is below 1
     * @throws IllegalStateException if {@code redis-server} is not installed or the cluster does not form in
     *                               time
     */
    public static RedisCluster start(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("masters: " + masters + " (expected: >= 1)");
        }
        List<RedisServer> nodes = new ArrayList<>(masters);
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(new RedisServer(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000")).start());
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    /** Returns the URI of every node, {@code redis://127.0.0.1:PORT}, as cluster clients take them. */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    /** Returns the nodes, to run a command on one of them. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** Deletes every key on every node. */
    public void flushAll() {
        nodes.forEach(RedisServer::flushAll);
    }

    /** Stops every node and deletes their directories. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private void form() {
        int perNode = SLOTS / nodes.size();
        for (int i = 0; i < nodes.size(); i++) {
            int first = i * perNode;
            int last = i == nodes.size() - 1 ? SLOTS - 1 : first + perNode - 1;
            nodes.get(i).command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
        }
        RedisServer first = nodes.get(0);
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            first.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()));
        }
        long deadline = System.nanoTime() + FORM_DEADLINE.toNanos();
        while (!formed()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the cluster on " + uris() + " did not form within " + FORM_DEADLINE
                        + ": " + first.command("CLUSTER", "INFO"));
            }
            RedisServer.pause();
        }
    }

    private boolean formed() {
        for (RedisServer node : nodes) {
            String info = node.command("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes.size() + "\r")) {
                return false;
            }
        }
        return true;
    }
}
