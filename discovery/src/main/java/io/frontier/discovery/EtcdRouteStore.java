package io.frontier.discovery;

import io.frontier.control.admin.RouteStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Routes in etcd, which every edge watches: a change reaches the edges without a restart. */
final class EtcdRouteStore implements RouteStore {
    private final EtcdDiscovery discovery;

    EtcdRouteStore(EtcdDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public CompletableFuture<Map<Integer, String>> list() {
        return discovery.routes();
    }

    @Override
    public CompletableFuture<Void> put(int service, String target) {
        return discovery.putRoute(service, target);
    }

    @Override
    public CompletableFuture<Boolean> delete(int service) {
        return discovery.deleteRoute(service);
    }
}
