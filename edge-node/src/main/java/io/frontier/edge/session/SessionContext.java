package io.frontier.edge.session;

import io.frontier.edge.EdgeConfig;
import io.frontier.edge.auth.Authenticator;
import io.frontier.edge.routing.UpstreamRouter;
import io.frontier.protocol.ConnIds;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every device handler of one edge shares, whatever its protocol: settings,
 * the registry, deadlines, authentication, upstream routing and the listener.
 */
public final class SessionContext {
    private final EdgeConfig config;
    private final SessionRegistry registry;
    private final Deadlines deadlines;
    private final Authenticator authenticator;
    private final UpstreamRouter router;
    private final SessionListener listener;
    private final ConnIds connIds;
    private final Clock clock;
    private final AtomicInteger openConnections = new AtomicInteger();

    public SessionContext(EdgeConfig config, SessionRegistry registry, Deadlines deadlines, Authenticator authenticator,
                          UpstreamRouter router, SessionListener listener, ConnIds connIds, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.deadlines = deadlines;
        this.authenticator = authenticator;
        this.router = router;
        this.listener = listener;
        this.connIds = connIds;
        this.clock = clock;
    }

    public EdgeConfig config() {
        return config;
    }

    public SessionRegistry registry() {
        return registry;
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public UpstreamRouter router() {
        return router;
    }

    public SessionListener listener() {
        return listener;
    }

    public ConnIds connIds() {
        return connIds;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Counts one more open connection. Returns false, without counting it, when the
     * edge already holds {@code maxConnections}.
     */
    public boolean tryOpenConnection() {
        int max = config.maxConnections();
        while (true) {
            int n = openConnections.get();
            if (n >= max) {
                return false;
            }
            if (openConnections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Counts one connection fewer. */
    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** Returns the number of open device connections, authenticated or not. */
    public int openConnections() {
        return openConnections.get();
    }
}
