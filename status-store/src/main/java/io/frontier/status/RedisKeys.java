package io.frontier.status;

import io.frontier.api.v1.ClientType;

/**
 * Builds every Redis key of {@link RedisUserStatus}; nothing else names a key.
 *
 * <table>
 * <caption>Keys, with the default prefix {@code frontier}</caption>
 * <tr><th>key</th><th>type</th><th>holds</th></tr>
 * <tr><td>{@code frontier:{u:USER}:tcp}</td><td>hash</td><td>device id &rarr; entry, feature phones</td></tr>
 * <tr><td>{@code frontier:{u:USER}:ws}</td><td>hash</td><td>device id &rarr; entry, smartphones</td></tr>
 * <tr><td>{@code frontier:{e:EDGE}:conns}</td><td>hash</td><td>connection id &rarr; index record</td></tr>
 * <tr><td>{@code frontier:{edges}}</td><td>set</td><td>ids of edges that may have index records</td></tr>
 * <tr><td>{@code frontier:{epoch}}</td><td>string</td><td>the epoch: a new value whenever Redis lost its data</td></tr>
 * <tr><td>{@code frontier:{epoch}:synced}</td><td>hash</td><td>edge id &rarr; epoch and instance of its last
 * applied snapshot</td></tr>
 * </table>
 *
 * <p>The part in braces is the hash tag: Redis Cluster places a key by it alone, so both hashes of a user
 * share a slot (one script reads both), and every script touches keys of one slot. A feature phone and a
 * smartphone live in separate hashes, so that nothing done to one
 * kind touches the other. Ids go in as they are: Redis tags a key by the text between its first
 * <code>&#123;</code> and the next <code>&#125;</code>, so a brace inside an id changes the slot but never
 * separates the two hashes of one user, and the fixed suffixes keep the keys of different ids distinct.
 */
final class RedisKeys {

    private final String prefix;

    /** Creates the keys under {@code prefix}, which {@link RedisStatusConfig} has checked. */
    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** Returns the hash of the user's entries of {@code clientType}. */
    String user(String userId, ClientType clientType) {
        return prefix + ":{u:" + userId + "}:" + family(clientType);
    }

    /** Returns the index of the connections recorded for {@code edgeId}. */
    String edge(String edgeId) {
        return prefix + ":{e:" + edgeId + "}:conns";
    }

    /** Returns the marker whose value changes when Redis lost its data. */
    String epoch() {
        return prefix + ":{epoch}";
    }

    /** Returns the hash of the edges whose snapshot was applied: edge id &rarr; epoch, a space, instance. */
    String synced() {
        return prefix + ":{epoch}:synced";
    }

    /** Returns the set of the edge ids that have an index. */
    String edges() {
        return prefix + ":{edges}";
    }

    /** Returns the name of a client type's family in keys and index records: {@code tcp} or {@code ws}. */
    static String family(ClientType clientType) {
        return switch (clientType) {
            case CLIENT_TYPE_TCP -> "tcp";
            case CLIENT_TYPE_WS -> "ws";
            default -> throw new IllegalArgumentException("clientType: " + clientType
                    + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
        };
    }

    /** Returns the client type of a family name that {@link #family} wrote. */
    static ClientType clientType(String family) {
        return switch (family) {
            case "tcp" -> ClientType.CLIENT_TYPE_TCP;
            case "ws" -> ClientType.CLIENT_TYPE_WS;
            default -> throw new IllegalStateException("corrupt index record: client type " + family
                    + " (expected: tcp or ws)");
        };
    }
}
