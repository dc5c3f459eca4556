package io.frontier.bench;

import io.frontier.api.v1.TcpHello;
import io.frontier.cli.DevTokens;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The load generator: N device connections on the TCP protocol, all on one shared
 * NIO event loop group, spread round-robin over loopback source addresses
 * (127.0.0.2, 127.0.0.3, ...) so that one target port can take more than one
 * address's ephemeral ports. Each connection sends Hello with a pre-minted token,
 * acks every Push, and hands the push's payload to a {@link PushListener}.
 */
final class LoadGenerator implements AutoCloseable {
    /** What the devices do with the pushes they receive. */
    interface PushListener {
        /** Called on an event loop with the push payload; must not block or keep the buffer. */
        void onPush(ByteBuf payload);
    }

    private static final AttributeKey<Long> STARTED = AttributeKey.valueOf("bench.started");

    final EventLoopGroup group;
    private final InetSocketAddress target;
    private final List<InetSocketAddress> sources = new ArrayList<>();
    private final boolean hello;
    private final Bootstrap bootstrap;
    final Recorder connectToHello = new Recorder(3);
    final AtomicInteger helloAcks = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger byes = new AtomicInteger();
    final AtomicLong pushes = new AtomicLong();
    private final ConcurrentLinkedQueue<Channel> channels = new ConcurrentLinkedQueue<>();
    private volatile PushListener listener = payload -> { };
    private volatile Semaphore window;

    /**
     * @param hello whether connections speak the protocol (Hello, acks); false for the baseline,
     *     whose connections only send the same Hello bytes and wait
     */
    LoadGenerator(int threads, InetSocketAddress target, int sourceAddresses, boolean hello) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-device", true),
                NioIoHandler.newFactory());
        this.target = target;
        this.hello = hello;
        for (int i = 0; i < sourceAddresses; i++) {
            sources.add(new InetSocketAddress("127.0.0." + (2 + i), 0));
        }
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new TcpFrameDecoder(0xFFFF), TcpFrameEncoder.INSTANCE, new Device());
                    }
                });
    }

    void listener(PushListener listener) {
        this.listener = listener;
    }

    /** Mints one token per device (user u{i}, device d{i}); minting is kept out of timed sections. */
    static byte[][] hellos(String secret, int from, int count) {
        byte[][] out = new byte[count][];
        Clock clock = Clock.systemUTC();
        for (int i = 0; i < count; i++) {
            int id = from + i;
            String token = DevTokens.mint(secret, "u" + id, "d" + id, Duration.ofHours(6), clock);
            out[i] = TcpHello.newBuilder().setToken(token).setDeviceId("d" + id).setAppVersion("bench").build()
                    .toByteArray();
        }
        return out;
    }

    /**
     * Opens one connection per Hello payload, at most {@code inFlight} connecting at
     * once (a connection stops counting once its Hello reply came, or, without the
     * protocol, once its Hello was written), and returns once all are done or failed.
     *
     * @return the elapsed nanoseconds
     */
    long open(byte[][] hellos, int inFlight, long timeoutSeconds) throws InterruptedException {
        Semaphore w = new Semaphore(inFlight);
        window = w;
        int before = helloAcks.get() + failures.get();
        long start = System.nanoTime();
        for (int i = 0; i < hellos.length; i++) {
            w.acquire();
            byte[] payload = hellos[i];
            long t0 = System.nanoTime();
            ChannelFuture f = bootstrap.connect(target, sources.get(i % sources.size()));
            f.channel().attr(STARTED).set(t0);
            channels.add(f.channel());
            f.addListener((ChannelFuture c) -> {
                if (!c.isSuccess()) {
                    failures.incrementAndGet();
                    w.release();
                    return;
                }
                c.channel().writeAndFlush(TcpFrame.of(TcpCommand.HELLO, 1, payload)).addListener((ChannelFuture wr) -> {
                    if (!wr.isSuccess()) {
                        failures.incrementAndGet();
                        w.release();
                    } else if (!hello) {
                        helloAcks.incrementAndGet();
                        w.release();
                    }
                });
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (helloAcks.get() + failures.get() - before < hellos.length && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return System.nanoTime() - start;
    }

    int open() {
        int n = 0;
        for (Channel c : channels) {
            if (c.isActive()) {
                n++;
            }
        }
        return n;
    }

    private final class Device extends ChannelInboundHandlerAdapter {
        private boolean helloDone;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            TcpFrame frame = (TcpFrame) msg;
            try {
                switch (frame.cmd()) {
                    case TcpCommand.HELLO -> {
                        if (!helloDone) {
                            helloDone = true;
                            Long t0 = ctx.channel().attr(STARTED).get();
                            connectToHello.recordValue(System.nanoTime() - t0);
                            helloAcks.incrementAndGet();
                            window.release();
                        }
                    }
                    case TcpCommand.PUSH -> {
                        pushes.incrementAndGet();
                        listener.onPush(frame.content());
                        ctx.writeAndFlush(TcpFrame.empty(TcpCommand.ACK, frame.seq()), ctx.voidPromise());
                    }
                    case TcpCommand.BYE -> byes.incrementAndGet();
                    default -> { }
                }
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (hello && !helloDone) {
                helloDone = true;
                failures.incrementAndGet();
                window.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Closes every connection (no Bye) and waits until they are closed. */
    void closeAll() throws InterruptedException {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel c : channels) {
            closing.add(c.close());
        }
        for (ChannelFuture f : closing) {
            f.await(10, TimeUnit.SECONDS);
        }
        channels.clear();
    }

    @Override
    public void close() throws InterruptedException {
        closeAll();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
