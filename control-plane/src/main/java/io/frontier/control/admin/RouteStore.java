package io.frontier.control.admin;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where upstream routes live: the standalone edge's table, or etcd in a cluster (where
 * every edge watches them). Calls never block the caller.
 */
public interface RouteStore {
    /** Returns service id to target ({@code HOST:PORT} or {@code HOST:PORT,timeout=D}), sorted by id. */
    CompletableFuture<Map<Integer, String>> list();

    /**
     * Routes {@code service} to {@code target}.
     *
     * @throws IllegalArgumentException when the target is malformed, saying the expected form
     */
    CompletableFuture<Void> put(int service, String target);

    /** Removes the route of {@code service}; completes with whether there was one. */
    CompletableFuture<Boolean> delete(int service);
}
