package io.frontier.discovery;

/**
 * Hears of the entries of one kind, from {@link EtcdDiscovery#watch}.
 *
 * <p>The listener first gets every current entry as a put, then {@link #onSynced()}, then each
 * change as it happens. When the watch breaks (etcd restarted, its history compacted, the
 * connection lost) the watch lists the entries again and reports only the difference: puts for
 * entries that are new or changed, deletes, with the last value it had, for entries that
 * disappeared meanwhile, then {@link #onSynced()} again. So the listener's view always converges
 * to etcd's.
 *
 * <p>Calls come one at a time, in order, on the watch's own thread; a listener may block it
 * briefly, which delays only its own watch. An exception thrown by the listener is logged and the
 * watch goes on.
 */
public interface WatchListener {
    /**
     * Reports that the entry {@code id} is new or has a new value.
     *
     * @param value the entry's value, such as a serialized {@code EdgeRecord}
     */
    void onPut(String id, byte[] value);

    /**
     * Reports that the entry {@code id} disappeared: deleted, its lease revoked or expired.
     *
     * @param previousValue the value it had, so that the listener knows which instance went
     */
    void onDelete(String id, byte[] previousValue);

    /** Reports that the listener has seen every entry of a (new) listing: its view matches etcd's. */
    default void onSynced() {
    }
}
