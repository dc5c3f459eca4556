package io.frontier.discovery;

import java.util.concurrent.CompletableFuture;

/**
 * One entry that a node keeps in etcd under a lease of its own, from
 * {@link EtcdDiscovery#register}: present while the node lives, gone within the lease TTL when
 * it dies, and gone at once when it is closed.
 *
 * <p>The registration repairs itself: when its keep-alives stop being answered or etcd no longer
 * knows its lease (expired, revoked, etcd restarted without its data), it registers again under
 * a new lease, with backoff, until it is closed. Each registration reads the value afresh.
 */
public interface Registration extends AutoCloseable {
    /**
     * Publishes the value that the registration's supplier returns now, such as a record that
     * says the node is draining.
     *
     * <p>Never blocks. The future completes once etcd holds a value read after this call: by this
     * update's own put or, while the registration is being restored, by the next registration. It
     * fails only when the registration is closed first; callers bound the wait with
     * {@link CompletableFuture#orTimeout} when they need to.
     */
    CompletableFuture<Void> update();

    /** Returns whether the entry is in etcd under a lease that is being kept alive, as far as this node knows. */
    boolean isRegistered();

    /**
     * Stops keeping the lease alive and revokes it, so that the entry disappears at once.
     *
     * <p>Never blocks. The future completes when etcd has revoked the lease, or when the revoke
     * failed (then the entry disappears when its lease expires, within the TTL); it never fails.
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Closes as {@link #closeAsync} does and waits for the revoke, at most the operation timeout
     * of the {@link DiscoveryConfig}. Not for event loops: they call {@link #closeAsync}.
     */
    @Override
    void close();
}
