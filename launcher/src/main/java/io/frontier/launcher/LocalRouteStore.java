package io.frontier.launcher;

import io.frontier.control.admin.RouteStore;
import io.frontier.edge.routing.Route;
import io.frontier.edge.routing.RouteTable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The standalone edge's route table as the Admin API sees it. Changes last until the
 * gateway stops; the {@code --route} flags are where routes of the next start come from.
 */
final class LocalRouteStore implements RouteStore {
    private final RouteTable table;
    // Guarded by this: the routes as given, which the table turns into backends.
    private final Map<Integer, Route> routes;

    /** Creates the store of {@code table}, which was built from {@code initial}. */
    LocalRouteStore(RouteTable table, Map<Integer, Route> initial) {
        this.table = table;
        this.routes = new HashMap<>(initial);
    }

    @Override
    public synchronized CompletableFuture<Map<Integer, String>> list() {
        Map<Integer, String> sorted = new TreeMap<>();
        routes.forEach((service, route) -> sorted.put(service, route.toString()));
        return CompletableFuture.completedFuture(sorted);
    }

    @Override
    public CompletableFuture<Void> put(int service, String target) {
        Route route = Route.parse(target);
        synchronized (this) {
            routes.put(service, route);
            table.update(routes);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(int service) {
        synchronized (this) {
            boolean found = routes.remove(service) != null;
            if (found) {
                table.update(routes);
            }
            return CompletableFuture.completedFuture(found);
        }
    }
}
