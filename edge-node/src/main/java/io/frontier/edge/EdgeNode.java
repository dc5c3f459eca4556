package io.frontier.edge;

import io.frontier.edge.internal.admin.EdgeAdmin;
import io.frontier.edge.internal.auth.Authenticator;
import io.frontier.edge.internal.auth.BackendAuthenticator;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.auth.JwtAuthenticator;
import io.frontier.edge.internal.delivery.DeliveryService;
import io.frontier.edge.internal.delivery.EdgeServiceImpl;
import io.frontier.edge.internal.metrics.EdgeMetrics;
import io.frontier.edge.internal.metrics.UpstreamMetrics;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.internal.transport.DeviceTls;
import io.frontier.edge.internal.transport.Listener;
import io.frontier.edge.internal.transport.tcp.TcpServerInitializer;
import io.frontier.edge.internal.transport.ws.WsServerInitializer;
import io.frontier.edge.routing.RouteTable;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.frontier.edge.transport.IoTransport;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.StatusCode;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge: the device listeners, the session registry, authentication, upstream
 * routing, and the delivery behind the edge's gRPC service.
 */
public final class EdgeNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeNode.class);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EdgeConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Authenticator authenticator;
    private final RouteTable routes;
    private final SessionRegistry registry;
    private final SessionContext context;
    private final DeliveryService delivery;
    private final EdgeAdmin admin;
    private final Listener tcpListener;
    private final Listener wsListener;
    // The TLS listeners and their context; null when not asked for.
    private final Listener tcpTlsListener;
    private final Listener wssListener;
    private final DeviceTls deviceTls;
    // Null when HelloX is not enabled.
    private final HelloXKeys helloXKeys;
    private final InetSocketAddress advertisedAddress;
    private final MeterRegistry meters;

    private EdgeNode(EdgeConfig config, SessionListener listener, MeterRegistry meters)
            throws IOException, InterruptedException {
        this.config = config;
        this.meters = meters;
        IoTransport transport = config.threads().ioTransport().resolve();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("frontier-accept"), transport.handlerFactory());
        workers = new MultiThreadIoEventLoopGroup(config.threads().ioThreads(), new DefaultThreadFactory("frontier-io"),
                transport.handlerFactory());
        authenticator = config.auth().backend() != null
                ? new BackendAuthenticator(openChannel(config.auth().backend()), config.auth().deadline(), true)
                : JwtAuthenticator.start(config.auth(), Clock.systemUTC());
        routes = new RouteTable(config.upstream().routes(), config.upstream().deadline(), EdgeNode::openChannel);
        Listener tcp = null;
        Listener ws = null;
        Listener tcpTls = null;
        Listener wss = null;
        DeviceTls tls = null;
        HelloXKeys helloX = null;
        try {
            // Connection ids carry the bound address, which is known only after binding (port 0):
            // the initializers refuse the few connections that might arrive before the context is set.
            AtomicReference<SessionContext> holder = new AtomicReference<>();
            tcp = Listener.bind("feature phones", config.tcp().host(), config.tcp().port(), transport, boss, workers,
                    new TcpServerInitializer(holder::get));
            ws = Listener.bind("WebSocket devices", config.ws().host(), config.ws().port(), transport, boss, workers,
                    new WsServerInitializer(holder::get));
            if (config.tls().enabled()) {
                // The handshake counts against the Hello's time: a connection that never finishes it goes as soon.
                tls = DeviceTls.start(config.tls().cert(), config.tls().key(), config.sessions().helloTimeout());
                if (config.tls().tcpPort() >= 0) {
                    tcpTls = Listener.bind("feature phones over TLS", config.tcp().host(), config.tls().tcpPort(),
                            transport, boss, workers, tls.wrap(new TcpServerInitializer(holder::get)));
                }
                if (config.tls().wsPort() >= 0) {
                    wss = Listener.bind("WebSocket devices over TLS", config.ws().host(), config.tls().wsPort(),
                            transport, boss, workers, tls.wrap(new WsServerInitializer(holder::get)));
                }
            }
            advertisedAddress = advertised(config, tcp.localAddress());
            ConnIds connIds = new ConnIds(advertisedAddress, System::currentTimeMillis);
            registry = new SessionRegistry(Math.max(64, Runtime.getRuntime().availableProcessors() * 16), connIds);
            delivery = new DeliveryService(config.edgeId(), registry);
            if (config.tcp().helloXKeys() != null) {
                helloX = HelloXKeys.start(config.tcp().helloXKeys());
            }
            context = new SessionContext(config, registry, authenticator,
                    new UpstreamRouter(routes, new UpstreamMetrics(meters)), listener, connIds, Clock.systemUTC(),
                    helloX, new EdgeMetrics(meters));
            new NettyEventExecutorMetrics(workers).bindTo(meters);
            SessionContext shared = context;
            Gauge.builder("frontier.edge.draining", () -> shared.draining() ? 1 : 0)
                    .description("1 while the edge refuses new devices and tells its own to reconnect elsewhere")
                    .register(meters);
            admin = new EdgeAdmin(config.edgeId(), registry, holder::get);
            holder.set(context);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (AutoCloseable started : new AutoCloseable[] {tcp, ws, tcpTls, wss, tls, helloX}) {
                if (started != null) {
                    try {
                        started.close();
                    } catch (Exception closing) {
                        e.addSuppressed(closing);
                    }
                }
            }
            shutdownResources();
            throw e;
        }
        tcpListener = tcp;
        wsListener = ws;
        tcpTlsListener = tcpTls;
        wssListener = wss;
        deviceTls = tls;
        helloXKeys = helloX;
    }

    /**
     * Starts an edge that tells {@code listener} of devices coming and going.
     *
     * @throws IOException when a listener cannot bind its address
     * @throws InterruptedException when interrupted while binding
     */
    public static EdgeNode start(EdgeConfig config, SessionListener listener) throws IOException, InterruptedException {
        return start(config, listener, new CompositeMeterRegistry());
    }

    /**
     * As above, with the edge's meters in {@code meters}: connections, closes, Hellos, pushes, upstream
     * requests and the event loops' pending tasks.
     */
    public static EdgeNode start(EdgeConfig config, SessionListener listener, MeterRegistry meters)
            throws IOException, InterruptedException {
        EdgeNode node = new EdgeNode(config, listener, meters);
        log.info("edge {} serving feature phones (TCP) on {}:{} and WebSocket on {}:{}, I/O {}", config.edgeId(),
                config.tcp().host(), node.tcpAddress().getPort(), config.ws().host(), node.wsAddress().getPort(),
                config.threads().ioTransport().resolve());
        return node;
    }

    private static InetSocketAddress advertised(EdgeConfig config, InetSocketAddress bound) {
        InetSocketAddress configured = config.advertisedAddress();
        if (configured != null) {
            // Port 0 means "the port the TCP listener got".
            return configured.getPort() == 0 ? new InetSocketAddress(configured.getAddress(), bound.getPort()) : configured;
        }
        InetAddress address = bound.getAddress();
        return new InetSocketAddress(address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address, bound.getPort());
    }

    private static ManagedChannel openChannel(String target) {
        // Callbacks only complete futures and hop to event loops, so they may run on gRPC's own threads.
        return NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
    }

    public String edgeId() {
        return config.edgeId();
    }

    /** Returns the address devices reach the TCP listener on. */
    public InetSocketAddress tcpAddress() {
        return tcpListener.localAddress();
    }

    /** Returns the address of the WebSocket listener (and the browser page). */
    public InetSocketAddress wsAddress() {
        return wsListener.localAddress();
    }

    /** Returns the address of the feature phones' protocol over TLS, or null when there is none. */
    public InetSocketAddress tcpTlsAddress() {
        return tcpTlsListener == null ? null : tcpTlsListener.localAddress();
    }

    /** Returns the address of WebSocket over TLS, or null when there is none. */
    public InetSocketAddress wssAddress() {
        return wssListener == null ? null : wssListener.localAddress();
    }

    /** Returns the TLS implementation of the TLS listeners ("OpenSSL" or "JDK"), or null when there are none. */
    public String tlsProvider() {
        return deviceTls == null ? null : deviceTls.provider();
    }

    /**
     * Returns HelloX's static keys as operators give them to devices ("key id ..., public key ..." in hex), as
     * read at start; empty when HelloX is not enabled.
     */
    public List<String> helloXKeys() {
        return helloXKeys == null ? List.of() : helloXKeys.keys().stream().map(HelloXKeys.Key::describe).toList();
    }

    /** Returns the registry of the edge's meters, for the parts around it to add theirs. */
    public MeterRegistry meters() {
        return meters;
    }

    /** Returns the address connection ids of this edge carry. */
    public InetSocketAddress advertisedAddress() {
        return advertisedAddress;
    }

    /** Returns the upstream routes, which cluster mode replaces when they change in etcd. */
    public RouteTable routes() {
        return routes;
    }

    public SessionRegistry registry() {
        return registry;
    }

    /**
     * Returns the registered sessions of {@code userId}: online, or closing until their
     * socket has closed, as UserStatus holds them; in the order they came online.
     */
    public List<? extends Session> sessionsOf(String userId) {
        return registry.byUser(userId);
    }

    /** Calls {@code action} for every registered session; sessions may come and go meanwhile. */
    public void forEachSession(Consumer<? super Session> action) {
        registry.forEach(action::accept);
    }

    public DeliveryService delivery() {
        return delivery;
    }

    /** Returns what administrators ask of this edge: connections, counts, draining. */
    public EdgeAdmin admin() {
        return admin;
    }

    /** Returns the number of open device connections, authenticated or not. */
    public int openConnections() {
        return context.openConnections();
    }

    /** Returns the edge's gRPC service (Deliver, Kick, connections, drain) for a server to expose. */
    public BindableService grpcService() {
        return new EdgeServiceImpl(delivery, admin);
    }

    /**
     * Stops accepting, tells every device to reconnect elsewhere (Bye 503), and releases
     * every thread.
     */
    @Override
    public void close() {
        tcpListener.close();
        wsListener.close();
        if (tcpTlsListener != null) {
            tcpTlsListener.close();
        }
        if (wssListener != null) {
            wssListener.close();
        }
        if (helloXKeys != null) {
            helloXKeys.close();
        }
        if (deviceTls != null) {
            deviceTls.close();
        }
        List<ChannelFuture> closing = new ArrayList<>(registry.size());
        registry.forEach(session -> {
            session.close(StatusCode.DRAINING, "edge shutting down");
            closing.add(session.channel().closeFuture());
        });
        // The event loops close every channel when they stop, Bye or not: wait for the Byes first.
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        for (ChannelFuture closed : closing) {
            closed.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        shutdownResources();
    }

    private void shutdownResources() {
        workers.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        authenticator.close();
        routes.close();
    }
}
