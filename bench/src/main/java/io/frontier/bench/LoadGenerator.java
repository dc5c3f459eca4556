package io.frontier.bench;

import io.frontier.api.v1.Frame;
import io.frontier.api.v1.TcpHello;
import io.frontier.device.HelloXCodec;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The load generator: device connections on the TCP protocol, WebSocket or a mix, all
 * on one shared NIO event loop group, spread round-robin over the edges and over
 * loopback source addresses (127.0.0.2, 127.0.0.3, ...) so that one target port can
 * take more than one address's ephemeral ports. Devices authenticate with pre-minted
 * tokens, ack every push and hand its payload to a {@link PushListener}. With
 * reconnects on, a device whose connection closes comes back after a random,
 * growing delay, as devices in the field do.
 */
final class LoadGenerator implements AutoCloseable {
    /** What the devices do with the pushes they receive. */
    interface PushListener {
        /** Called on an event loop with the push payload; must not block or keep the buffer. */
        void onPush(ByteBuf payload);
    }

    /**
     * Devices of a server that is not Frontier (nchan, a Node {@code ws} server, mosquitto): the
     * adapter's handlers speak that server's protocol and hand on, as the generator's own devices do,
     * {@link #ONLINE} once the device is subscribed and each push's payload as a {@link ByteBuf}.
     */
    interface DeviceAdapter {
        /** Adds the handlers of {@code device}'s connection to {@code target}. */
        void initChannel(Channel ch, InetSocketAddress target, int device);
    }

    /** The user event an adapter fires once its device is subscribed. */
    static final Object ONLINE = "bench.online";

    /** Which protocol device {@code i} speaks. */
    enum Protocol {
        TCP, WS, MIX;

        boolean ws(int device) {
            return this == WS || (this == MIX && (device & 1) == 1);
        }

        static Protocol parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static final AttributeKey<Long> STARTED = AttributeKey.valueOf("bench.started");
    private static final AttributeKey<Integer> INDEX = AttributeKey.valueOf("bench.index");
    /** The {@link #open} call's window a first connection counts in; none for a reconnect. */
    private static final AttributeKey<Semaphore> WINDOW = AttributeKey.valueOf("bench.window");
    private static final int WS_PUSH = 2;
    private static final int WS_ACK = 3;
    private static final int WS_HELLO = 4;
    private static final int WS_BYE = 5;

    final EventLoopGroup group;
    private final Targets targets;
    private final List<InetSocketAddress> sources = new ArrayList<>();
    private final boolean speaksProtocol;
    // Devices that speak the protocol but leave pushes unacked: what acks cost a broadcast.
    private volatile boolean acks = true;
    private final Bootstrap tcp;
    private final Bootstrap ws;
    /** Null for Frontier's protocols. */
    private final Bootstrap adapted;
    final Recorder connectToHello = new Recorder(3);
    final AtomicInteger helloAcks = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger online = new AtomicInteger();
    final AtomicInteger byes = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();
    final AtomicLong pushes = new AtomicLong();
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    private volatile Credentials credentials;
    private volatile AtomicIntegerArray attempts = new AtomicIntegerArray(0);
    private volatile PushListener listener = payload -> { };
    private volatile boolean reconnect;
    private volatile long reconnectSpreadMs = 1000;
    private volatile long reconnectMaxMs = 30_000;
    private volatile boolean closing;
    // Null: plain connections; else each device's connection starts with a TLS handshake.
    private volatile SslContext tls;
    // Null: TCP devices say Hello; else HelloX to the edge of this public key, and seal every frame.
    private volatile byte[] helloXKey;

    /** The edges' device ports and the protocol of each device. */
    record Targets(List<InetSocketAddress> tcp, List<InetSocketAddress> ws, Protocol protocol) {
        InetSocketAddress of(int device) {
            List<InetSocketAddress> list = protocol.ws(device) ? ws : tcp;
            return list.get(Math.floorMod(device / (protocol == Protocol.MIX ? 2 : 1), list.size()));
        }
    }

    /**
     * @param speaksProtocol whether devices wait for the gateway's Hello and ack pushes; false for
     *     the baseline, whose TCP connections only send the same Hello bytes and wait
     */
    LoadGenerator(int threads, Targets targets, int sourceAddresses, boolean speaksProtocol) {
        this(threads, targets, sourceAddresses, 2, speaksProtocol);
    }

    /** As above, with the source addresses starting at 127.0.0.{@code sourceBase}. */
    LoadGenerator(int threads, Targets targets, int sourceAddresses, int sourceBase, boolean speaksProtocol) {
        this(threads, targets, sourceAddresses, sourceBase, speaksProtocol, null);
    }

    /**
     * Makes every device connect over TLS, trusting any certificate: what is measured is what TLS costs the
     * server, not a check of who it is. Before they connect.
     */
    LoadGenerator tls() {
        try {
            tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("no TLS client: " + e, e);
        }
        return this;
    }

    /** Makes TCP devices say HelloX to the edge whose static public key is {@code serverKey}; before they connect. */
    LoadGenerator helloX(byte[] serverKey) {
        helloXKey = serverKey.clone();
        return this;
    }

    /** Makes the devices that speak the protocol leave every push unacked; before they connect. */
    LoadGenerator withoutAcks() {
        acks = false;
        return this;
    }

    /** Devices that connect through {@code adapter} (null: Frontier's protocols); they never ack. */
    LoadGenerator(int threads, Targets targets, int sourceAddresses, DeviceAdapter adapter) {
        this(threads, targets, sourceAddresses, 2, false, adapter);
    }

    private LoadGenerator(int threads, Targets targets, int sourceAddresses, int sourceBase, boolean speaksProtocol,
            DeviceAdapter adapter) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-device", true),
                NioIoHandler.newFactory());
        this.targets = targets;
        this.speaksProtocol = speaksProtocol;
        for (int i = 0; i < sourceAddresses; i++) {
            sources.add(new InetSocketAddress("127.0.0." + (sourceBase + i), 0));
        }
        this.tcp = bootstrap(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                addTls(ch);
                ch.pipeline().addLast(new TcpFrameDecoder(0xFFFF), TcpFrameEncoder.INSTANCE);
                if (helloXKey != null) {
                    ch.pipeline().addLast(new HelloXCodec());
                }
                ch.pipeline().addLast(new TcpDevice());
            }
        });
        this.ws = bootstrap(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                int i = ch.attr(INDEX).get();
                Credentials c = credentials;
                InetSocketAddress t = targets.of(i);
                addTls(ch);
                URI uri = URI.create((tls == null ? "ws://" : "wss://") + t.getHostString() + ":" + t.getPort() + "/ws?device_id="
                        + Credentials.deviceId(i) + "&token=" + c.token(i));
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri).subprotocol("frontier.pb").handshakeTimeoutMillis(30_000)
                                .absoluteUpgradeUrl(false).build()),
                        new WsDevice());
            }
        });
        this.adapted = adapter == null ? null : bootstrap(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                int i = ch.attr(INDEX).get();
                adapter.initChannel(ch, targets.of(i), i);
                ch.pipeline().addLast(new AdaptedDevice());
            }
        });
    }

    private void addTls(Channel ch) {
        SslContext context = tls;
        if (context != null) {
            ch.pipeline().addLast(context.newHandler(ch.alloc()));
        }
    }

    private Bootstrap bootstrap(ChannelInitializer<Channel> initializer) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(initializer);
    }

    void listener(PushListener listener) {
        this.listener = listener;
    }

    /**
     * Devices whose connection closes come back after a random delay of up to {@code spreadMs},
     * doubling per failed attempt up to {@code maxMs}.
     */
    void reconnect(boolean on, long spreadMs, long maxMs) {
        this.reconnect = on;
        this.reconnectSpreadMs = spreadMs;
        this.reconnectMaxMs = maxMs;
    }

    /**
     * Opens one connection per device of {@code devices}, at most {@code inFlight}
     * connecting at once (a connection stops counting once the gateway's Hello came, or,
     * without the protocol, once its Hello was written), and returns once all are done
     * or failed, or the timeout passed.
     *
     * @return the elapsed nanoseconds
     */
    long open(Credentials devices, int inFlight, long timeoutSeconds) throws InterruptedException {
        credentials = devices;
        attempts = new AtomicIntegerArray(devices.count());
        Semaphore w = new Semaphore(inFlight);
        int before = helloAcks.get() + failures.get();
        long start = System.nanoTime();
        for (int i = 0; i < devices.count(); i++) {
            w.acquire();
            connect(devices.from() + i, w);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (helloAcks.get() + failures.get() - before < devices.count() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return System.nanoTime() - start;
    }

    private void connect(int device, Semaphore w) {
        boolean overWs = targets.protocol().ws(device);
        Bootstrap b = (adapted != null ? adapted : overWs ? ws : tcp).clone().attr(INDEX, device)
                .attr(STARTED, System.nanoTime()).attr(WINDOW, w);
        ChannelFuture f = b.connect(targets.of(device), sources.get(device % sources.size()));
        channels.put(device, f.channel());
        f.addListener((ChannelFuture c) -> {
            if (!c.isSuccess()) {
                failed(device, c.channel().attr(WINDOW).getAndSet(null));
                return;
            }
            if (adapted == null && !overWs) {
                byte[] hello = credentials.tcpHello(device);
                HelloXCodec sealed = c.channel().pipeline().get(HelloXCodec.class);
                TcpFrame first;
                try {
                    first = sealed == null ? TcpFrame.of(TcpCommand.HELLO, 1, hello)
                            : TcpFrame.of(TcpCommand.HELLO_X, 1, sealed.start(helloXKey));
                } catch (GeneralSecurityException e) {
                    c.channel().close();
                    return;
                }
                c.channel().writeAndFlush(first).addListener((ChannelFuture wr) -> {
                    if (!wr.isSuccess()) {
                        wr.channel().close();
                    } else if (!speaksProtocol) {
                        online(c.channel(), c.channel().pipeline().get(TcpDevice.class));
                    }
                });
            }
        });
    }

    private void failed(int device, Semaphore w) {
        if (w != null) {
            failures.incrementAndGet();
            release(w);
        }
        int i = device - credentials.from();
        // A device of an earlier open() call is past the current attempt counters: its first retry.
        scheduleReconnect(device, i >= 0 && i < attempts.length() ? attempts.incrementAndGet(i) : 1);
    }

    private static void release(Semaphore w) {
        if (w != null) {
            w.release();
        }
    }

    private void scheduleReconnect(int device, int attempt) {
        if (!reconnect || closing) {
            return;
        }
        long spread = reconnectSpreadMs << Math.min(attempt, 5);
        long delay = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(spread, reconnectMaxMs)));
        reconnects.incrementAndGet();
        group.schedule(() -> {
            if (!closing) {
                connect(device, null);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Returns the number of connections open now. */
    int open() {
        int n = 0;
        for (Channel c : channels.values()) {
            if (c.isActive()) {
                n++;
            }
        }
        return n;
    }

    /** Stops reading on the first {@code count} open connections (devices that hang but keep their socket). */
    int stopReading(int count) {
        int n = 0;
        for (Channel c : channels.values()) {
            if (n == count) {
                break;
            }
            if (c.isActive()) {
                c.config().setAutoRead(false);
                n++;
            }
        }
        return n;
    }

    /** Closes {@code count} random open connections (they reconnect when reconnects are on). */
    int churn(int count, int deviceCount) {
        int n = 0;
        for (int tries = 0; n < count && tries < count * 4; tries++) {
            Channel c = channels.get(credentials.from() + ThreadLocalRandom.current().nextInt(deviceCount));
            if (c != null && c.isActive() && c.config().isAutoRead()) {
                c.close();
                n++;
            }
        }
        return n;
    }

    /**
     * The device is online: the gateway's Hello came, or, against the baseline, the
     * connection is up (and its Hello written, or its WebSocket upgraded). Event loop only.
     */
    private void online(Channel channel, Device device) {
        if (device.helloDone) {
            return;
        }
        device.helloDone = true;
        device.countedOnline = true;
        connectToHello.recordValue(System.nanoTime() - channel.attr(STARTED).get());
        helloAcks.incrementAndGet();
        online.incrementAndGet();
        int i = channel.attr(INDEX).get() - credentials.from();
        if (i >= 0 && i < attempts.length()) {
            attempts.set(i, 0);
        }
        release(channel.attr(WINDOW).getAndSet(null));
    }

    private void inactive(ChannelHandlerContext ctx, Device device) {
        int index = ctx.channel().attr(INDEX).get();
        if (device.countedOnline) {
            device.countedOnline = false;
            online.decrementAndGet();
            scheduleReconnect(index, 0);
        } else if ((speaksProtocol || adapted != null) && !device.helloDone) {
            device.helloDone = true;
            failed(index, ctx.channel().attr(WINDOW).getAndSet(null));
        }
    }

    /** Per-connection state, on the connection's event loop. */
    private abstract class Device extends ChannelInboundHandlerAdapter {
        boolean helloDone;
        boolean countedOnline;

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive(ctx, this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final class TcpDevice extends Device {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            TcpFrame frame = (TcpFrame) msg;
            try {
                switch (frame.cmd()) {
                    case TcpCommand.HELLO -> online(ctx.channel(), this);
                    // The channel is open: the Hello goes in it, sealed.
                    case TcpCommand.HELLO_X -> ctx.writeAndFlush(TcpFrame.of(TcpCommand.HELLO, 1,
                            credentials.tcpHello(ctx.channel().attr(INDEX).get())), ctx.voidPromise());
                    case TcpCommand.PUSH -> {
                        pushes.incrementAndGet();
                        listener.onPush(frame.content());
                        if (speaksProtocol && acks) {
                            ctx.writeAndFlush(TcpFrame.empty(TcpCommand.ACK, frame.seq()), ctx.voidPromise());
                        }
                    }
                    case TcpCommand.BYE -> byes.incrementAndGet();
                    default -> { }
                }
            } finally {
                frame.release();
            }
        }
    }

    private final class WsDevice extends Device {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof BinaryWebSocketFrame binary)) {
                    return;
                }
                Frame frame;
                try {
                    frame = Frame.parseFrom(binary.content().nioBuffer());
                } catch (IOException e) {
                    ctx.close();
                    return;
                }
                switch (frame.getMethod()) {
                    case WS_HELLO -> online(ctx.channel(), this);
                    case WS_PUSH -> {
                        pushes.incrementAndGet();
                        ByteBuf payload = Unpooled.wrappedBuffer(frame.getPayload().asReadOnlyByteBuffer());
                        listener.onPush(payload);
                        // The baseline writes pushes in the same frames but reads nothing back: no acks for it.
                        if (speaksProtocol && acks) {
                            byte[] ack = Frame.newBuilder().setSeqid(frame.getSeqid()).setMethod(WS_ACK).build()
                                    .toByteArray();
                            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ack)), ctx.voidPromise());
                        }
                    }
                    case WS_BYE -> byes.incrementAndGet();
                    default -> { }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ctx.close();
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE
                    && !speaksProtocol) {
                online(ctx.channel(), this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The last handler of an adapter's device: what the adapter decoded, counted as the other devices count it. */
    private final class AdaptedDevice extends Device {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf payload) {
                    pushes.incrementAndGet();
                    listener.onPush(payload);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ONLINE) {
                online(ctx.channel(), this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Closes every connection (no Bye) and waits until they are closed; reconnects stop. */
    void closeAll() throws InterruptedException {
        boolean was = reconnect;
        reconnect = false;
        List<ChannelFuture> closes = new ArrayList<>();
        for (Channel c : channels.values()) {
            closes.add(c.close());
        }
        for (ChannelFuture f : closes) {
            f.await(10, TimeUnit.SECONDS);
        }
        channels.clear();
        reconnect = was;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        closeAll();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
