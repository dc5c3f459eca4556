package io.frontier.edge.internal.session;

import io.frontier.api.v1.ClientType;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.internal.auth.AuthException;
import io.frontier.edge.internal.auth.Authenticator;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.internal.metrics.EdgeMetrics;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.session.SessionListener;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.StatusCode;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session of one edge shares, whatever its protocol: settings, the registry,
 * the deadline sweeps, authentication, upstream routing, the listener, the count of open
 * connections, the per-address limits and the draining flag. Thread-safe.
 */
public final class SessionContext {
    private static final Logger log = LoggerFactory.getLogger(SessionContext.class);
    /** The longest app version recorded; the rest is cut. */
    private static final int MAX_APP_VERSION = 64;
    private static final int MAX_SHARED_APP_VERSIONS = 1024;
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EdgeConfig config;
    private final SessionRegistry registry;
    private final Authenticator authenticator;
    private final UpstreamRouter router;
    private final SessionListener listener;
    private final ConnIds connIds;
    private final Clock clock;
    private final long helloTimeoutNanos;
    private final long tcpIdleNanos;
    private final long wsPingNanos;
    private final long tickNanos;
    /** {@link #tryOpenConnection}: the edge holds its maximum of connections. */
    static final int EDGE_FULL = 1;
    /** {@link #tryOpenConnection}: the device's IP address holds its maximum of connections. */
    static final int ADDRESS_FULL = 2;
    /** {@link #tryOpenConnection}: the device's IP address connects more often than its rate. */
    static final int ADDRESS_TOO_FAST = 3;
    /** {@link #tryOpenConnection}: the device's IP address is banned for failing authentication. */
    static final int ADDRESS_BANNED = 4;
    /**
     * Refused connections held at once, each until its Hello (or upgrade) is answered with why, or its
     * deadline: past it, a refused connection is closed at once without an answer, so that a flood of
     * connects the limits refuse cannot make the edge hold sockets for them.
     */
    static final int MAX_REFUSED_HELD = 1024;
    /** The user holds its maximum of connections (decided once the device has authenticated). */
    static final int USER_FULL = 5;

    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger refusedHeld = new AtomicInteger();
    private final AddressCounts perAddress;
    private final ConnectRates connectRates;
    private final AuthFailures authFailures;
    private final HelloXKeys helloXKeys;
    private final EdgeMetrics metrics;
    private final BoundedInterner appVersions = new BoundedInterner(MAX_SHARED_APP_VERSIONS);
    private final ConcurrentHashMap<EventExecutor, DeadlineSweep> sweeps = new ConcurrentHashMap<>();
    private volatile boolean draining;

    public SessionContext(EdgeConfig config, SessionRegistry registry, Authenticator authenticator,
                          UpstreamRouter router, SessionListener listener, ConnIds connIds, Clock clock) {
        this(config, registry, authenticator, router, listener, connIds, clock, null);
    }

    /** As above, with the static keys of HelloX; null when the edge has none (Bye 501). */
    public SessionContext(EdgeConfig config, SessionRegistry registry, Authenticator authenticator,
                          UpstreamRouter router, SessionListener listener, ConnIds connIds, Clock clock,
                          HelloXKeys helloXKeys) {
        this(config, registry, authenticator, router, listener, connIds, clock, helloXKeys, EdgeMetrics.none());
    }

    /** As above, recording in {@code metrics}. */
    public SessionContext(EdgeConfig config, SessionRegistry registry, Authenticator authenticator,
                          UpstreamRouter router, SessionListener listener, ConnIds connIds, Clock clock,
                          HelloXKeys helloXKeys, EdgeMetrics metrics) {
        this.helloXKeys = helloXKeys;
        this.metrics = metrics;
        this.config = config;
        this.registry = registry;
        this.authenticator = authenticator;
        this.router = router;
        this.listener = listener;
        this.connIds = connIds;
        this.clock = clock;
        EdgeConfig.Sessions sessions = config.sessions();
        this.perAddress = new AddressCounts(sessions.maxConnectionsPerIp());
        this.connectRates = new ConnectRates(sessions.connectRatePerIp(), sessions.connectBurstPerIp());
        this.authFailures = new AuthFailures(sessions.authFailuresPerIp(), sessions.authFailureWindow().toNanos(),
                sessions.authBan().toNanos());
        this.helloTimeoutNanos = config.sessions().helloTimeout().toNanos();
        this.tcpIdleNanos = config.tcp().idleTimeout().toNanos();
        this.wsPingNanos = config.ws().pingInterval().toNanos();
        // A deadline fires at most a quarter of its length late, and never sooner than it is due.
        long shortest = Math.min(helloTimeoutNanos, Math.min(tcpIdleNanos, wsPingNanos));
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shortest / 4));
    }

    public EdgeConfig config() {
        return config;
    }

    /** Returns the static keys of HelloX, or null when the edge has none. */
    public HelloXKeys helloXKeys() {
        return helloXKeys;
    }

    public SessionRegistry registry() {
        return registry;
    }

    /** Returns the meters the sessions record in. */
    public EdgeMetrics metrics() {
        return metrics;
    }

    SessionListener listener() {
        return listener;
    }

    UpstreamRouter router() {
        return router;
    }

    public ConnIds connIds() {
        return connIds;
    }

    Clock clock() {
        return clock;
    }

    long helloTimeoutNanos() {
        return helloTimeoutNanos;
    }

    /** Returns how long a device may be silent before the server pings it, or 0 when the device pings. */
    long serverPingNanos(ClientType type) {
        return type == ClientType.CLIENT_TYPE_WS ? wsPingNanos : 0;
    }

    /** Returns how long a device may be silent before it is closed (408). */
    long idleNanos(ClientType type) {
        return type == ClientType.CLIENT_TYPE_WS ? 2 * wsPingNanos : tcpIdleNanos;
    }

    /** Returns the deadline sweep of {@code loop}, made on first use. Called on that loop only. */
    DeadlineSweep sweep(EventExecutor loop) {
        DeadlineSweep sweep = sweeps.get(loop);
        if (sweep == null) {
            DeadlineSweep created = new DeadlineSweep(loop, tickNanos, () -> sweeps.remove(loop));
            sweeps.put(loop, created);
            sweep = created;
        }
        return sweep;
    }

    /** Takes {@code session} off the deadline sweep of {@code loop}, if it is on one. Called on that loop only. */
    void unsweep(EventExecutor loop, DeviceSession session) {
        DeadlineSweep sweep = sweeps.get(loop);
        if (sweep != null) {
            sweep.remove(session);
        }
    }

    /** Returns the one shared copy of an app version, cut to its maximum length. */
    String appVersion(String appVersion) {
        return appVersions.intern(appVersion.length() > MAX_APP_VERSION ? appVersion.substring(0, MAX_APP_VERSION)
                : appVersion);
    }

    /**
     * Counts one more open connection from {@code address} (null when the channel has no IP
     * address, as in tests) at {@code now} (nanoseconds of the event loops' ticker). Returns 0
     * when counted, else, without counting it, the limit it would pass: {@link #ADDRESS_BANNED},
     * {@link #ADDRESS_TOO_FAST}, {@link #EDGE_FULL} or {@link #ADDRESS_FULL}. A banned address's
     * connects do not count against its rate.
     */
    int tryOpenConnection(InetAddress address, long now) {
        if (address != null) {
            if (authFailures.banned(address, now)) {
                return ADDRESS_BANNED;
            }
            if (!connectRates.tryConnect(address, now)) {
                return ADDRESS_TOO_FAST;
            }
        }
        int max = config.sessions().maxConnections();
        while (true) {
            int n = openConnections.get();
            if (n >= max) {
                return EDGE_FULL;
            }
            if (openConnections.compareAndSet(n, n + 1)) {
                break;
            }
        }
        if (address != null && !perAddress.tryOpen(address)) {
            openConnections.decrementAndGet();
            return ADDRESS_FULL;
        }
        return 0;
    }

    /** Takes a place for a refused connection to be told why; false, taking none, when all are taken. */
    boolean holdRefused() {
        while (true) {
            int n = refusedHeld.get();
            if (n >= MAX_REFUSED_HELD) {
                return false;
            }
            if (refusedHeld.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back the place of a refused connection that closed. */
    void refusedClosed() {
        refusedHeld.decrementAndGet();
    }

    /** Counts one connection fewer, from {@code address}. */
    void connectionClosed(InetAddress address) {
        openConnections.decrementAndGet();
        if (address != null) {
            perAddress.closed(address);
        }
    }

    /** Returns whether {@code address} (null: none) is banned at {@code now} for failing authentication. */
    boolean banned(InetAddress address, long now) {
        return address != null && authFailures.banned(address, now);
    }

    /** Returns the Bye reason of a limit of {@link #tryOpenConnection}, or of {@link #USER_FULL}. */
    String limitReason(int limit) {
        EdgeConfig.Sessions sessions = config.sessions();
        return switch (limit) {
            case ADDRESS_FULL -> "address holds its maximum of " + sessions.maxConnectionsPerIp() + " connections";
            case ADDRESS_TOO_FAST -> "address connects more often than " + sessions.connectRatePerIp() + " per second";
            case ADDRESS_BANNED -> "address failed authentication " + sessions.authFailuresPerIp() + " times within "
                    + text(sessions.authFailureWindow()) + ": refused for " + text(sessions.authBan());
            case USER_FULL -> "user holds its maximum of " + sessions.maxConnectionsPerUser() + " connections";
            default -> "edge holds its maximum of " + sessions.maxConnections() + " connections";
        };
    }

    private static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Returns the number of open device connections, authenticated or not. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Returns whether the edge refuses new devices (Bye 503, HTTP 503) because it is draining. */
    public boolean draining() {
        return draining;
    }

    /** Makes the edge refuse new devices, or accept them again. */
    public void draining(boolean draining) {
        this.draining = draining;
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
                metrics.authFailed(refused.code());
                if (refused.code() == StatusCode.UNAUTHORIZED) {
                    authenticationFailed(channel, credentials.clientAddr());
                }
                done.accept(null, refused);
            } else {
                log.warn("conn {}: authentication failed unexpectedly", credentials.clientAddr(), cause);
                metrics.authFailed(StatusCode.INTERNAL);
                done.accept(null, new AuthException(StatusCode.INTERNAL, "authentication failed"));
            }
        }));
    }

    /**
     * Counts a refused credential against the device's address; a backend that failed or timed out
     * (502, 504) is no fault of the device's.
     */
    void authenticationFailed(Channel channel, String clientAddr) {
        InetAddress address = address(channel);
        if (address != null && authFailures.failed(address, channel.eventLoop().ticker().nanoTime())) {
            log.info("conn {}: address refused for {} after {} failed authentications within {}",
                    clientAddr, text(config.sessions().authBan()), config.sessions().authFailuresPerIp(),
                    text(config.sessions().authFailureWindow()));
        }
    }

    /** Returns the IP address of {@code channel}'s device, or null when it has none (as in tests). */
    static InetAddress address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
    }

    /** Runs {@code task} on {@code channel}'s event loop, unless the edge is stopping. */
    void onLoop(Channel channel, Runnable task) {
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

    /** Returns the device's address as "ip:port". */
    public static String clientAddr(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress address) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        return String.valueOf(channel.remoteAddress());
    }
}
