package io.frontier.discovery;

/** A watch from {@link EtcdDiscovery#watch} or {@link EtcdDiscovery#watchRoutes}, until it is closed. */
public interface Watch extends AutoCloseable {
    /**
     * Stops the watch. Never blocks: no listener call starts after it returns, though one that
     * had started on the watch's thread may still be running.
     */
    @Override
    void close();
}
