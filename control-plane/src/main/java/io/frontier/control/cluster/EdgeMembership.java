package io.frontier.control.cluster;

import io.frontier.api.v1.EdgeRecord;

/**
 * The edges registered in the cluster now, as discovery (etcd in a cluster) reports them. An
 * edge's registration lives as long as the edge: it goes when the edge stops or its lease expires.
 */
public interface EdgeMembership {
    /**
     * Starts reporting to {@code listener}: every edge registered now as a put, then
     * {@link Listener#onSynced()}, then each change as it happens. After a break (the discovery
     * service restarted, the connection lost) the edges are listed again and only the difference is
     * reported, then {@code onSynced()} again, so the listener's view converges to the registrations.
     * Calls come one at a time, in order.
     *
     * @return the subscription; closing it stops the reports
     */
    Subscription watch(Listener listener);

    /** Hears of edges that register and go. */
    interface Listener {
        /** Reports an edge that registered, or registered a new record (a new instance of its id). */
        void onPut(EdgeRecord edge);

        /**
         * Reports an edge whose registration is gone: deleted, or its lease expired.
         *
         * @param previous the record it had, to know which instance went; null when it was unreadable
         */
        void onDelete(String edgeId, EdgeRecord previous);

        /** Reports that the listener has seen every edge of a (new) listing: its view is whole. */
        void onSynced();
    }

    /** A watch from {@link #watch}, until it is closed. */
    interface Subscription extends AutoCloseable {
        /** Stops the reports; never blocks. */
        @Override
        void close();
    }
}
