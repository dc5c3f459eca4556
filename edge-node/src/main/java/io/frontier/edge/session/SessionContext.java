package io.frontier.edge.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.auth.AuthException;
import io.frontier.edge.auth.Authenticator;
import io.frontier.edge.auth.Credentials;
import io.frontier.edge.auth.Identity;
import io.frontier.edge.routing.UpstreamRouter;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.StatusCode;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every device handler of one edge shares, whatever its protocol: settings,
 * the registry, deadlines, authentication, upstream routing and the listener.
 */
public final class SessionContext {
    private static final Logger log = LoggerFactory.getLogger(SessionContext.class);
    /** The longest app version recorded; the rest is cut. */
    private static final int MAX_APP_VERSION = 64;
    private static final int MAX_SHARED_APP_VERSIONS = 1024;

    private final EdgeConfig config;
    private final SessionRegistry registry;
    private final Deadlines deadlines;
    private final Authenticator authenticator;
    private final UpstreamRouter router;
    private final SessionListener listener;
    private final ConnIds connIds;
    private final Clock clock;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final BoundedInterner appVersions = new BoundedInterner(MAX_SHARED_APP_VERSIONS);
    private volatile boolean draining;

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

    /** Returns whether the edge refuses new devices (Bye 503, HTTP 503) because it is draining. */
    public boolean draining() {
        return draining;
    }

    /** Makes the edge refuse new devices, or accept them again. */
    public void draining(boolean draining) {
        this.draining = draining;
    }

    /** Counts one connection fewer. */
    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** Returns the number of open device connections, authenticated or not. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Checks {@code credentials} and calls {@code done} on {@code channel}'s event loop
     * with the identity, or with the reason the device is refused; never both.
     */
    public void authenticate(Channel channel, Credentials credentials, BiConsumer<Identity, AuthException> done) {
        authenticator.authenticate(credentials).whenComplete((identity, error) -> onLoop(channel, () -> {
            if (error == null) {
                done.accept(identity, null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof AuthException refused) {
                done.accept(null, refused);
            } else {
                log.warn("conn {}: authentication failed unexpectedly", credentials.clientAddr(), cause);
                done.accept(null, new AuthException(StatusCode.INTERNAL, "authentication failed"));
            }
        }));
    }

    /**
     * Starts the session of an authenticated device: registers it, closes the device's
     * older connection (409), and reports it online. Event loop of {@code transport} only.
     */
    public Session openSession(Identity identity, ClientType clientType, String appVersion, DeviceTransport transport) {
        String version = appVersions.intern(
                appVersion.length() > MAX_APP_VERSION ? appVersion.substring(0, MAX_APP_VERSION) : appVersion);
        Session session = new Session(connIds.next(), identity.userId(), identity.deviceId(), clientType, version,
                clock.millis(), transport, config.maxPendingAcks());
        Session replaced = registry.register(session);
        if (replaced != null) {
            replaced.close(StatusCode.REPLACED, "replaced by a newer connection of the device");
        }
        listener.onConnected(session);
        log.debug("conn {}: online as user {} device {}", session.connId(), session.userId(), session.deviceId());
        return session;
    }

    /** Ends a session whose channel closed: forgets it and reports it offline. Event loop only. */
    public void closeSession(Session session, int code, String reason) {
        registry.unregister(session);
        session.onClosed();
        listener.onDisconnected(session, code, reason);
    }

    /**
     * Sends an upstream request of {@code session} to its service's backend and calls
     * {@code done} with the reply on the session's event loop. Returns false, sending
     * nothing, when the session already has its maximum of requests in flight.
     */
    public boolean sendUpstream(Session session, SendMessageRequest request, Consumer<SendMessageReply> done) {
        if (!session.tryStartUpstream(config.maxUpstreamInFlight())) {
            return false;
        }
        router.send(request).whenComplete((reply, error) -> onLoop(session.channel(), () -> {
            session.upstreamDone();
            done.accept(error == null ? reply
                    : SendMessageReply.newBuilder().setStatus(StatusCode.INTERNAL).setMessage("upstream failed").build());
        }));
        return true;
    }

    /** Returns the device's address as "ip:port". */
    public static String clientAddr(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress address) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        return String.valueOf(channel.remoteAddress());
    }

    private static void onLoop(Channel channel, Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The edge is stopping: the channel closes with its event loop.
        }
    }
}
