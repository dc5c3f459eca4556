package io.frontier.device;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A device on the TCP protocol (PROTOCOL.md section 1), for end-to-end tests, the
 * {@code ctl device} command and benchmarks.
 *
 * <p>The client owns no thread: its connection runs on an event loop of the NIO
 * {@link EventLoopGroup} it is given, so thousands of clients can share a few
 * threads. Every method may be called from any thread. Futures complete on the
 * connection's event loop: a callback chained to them must not block.
 *
 * <p>Requests ({@link #hello}, {@link #ping}, {@link #request}) take seq numbers
 * 1..65535, wrapping to 1, and skip any seq still waiting for its reply, so at
 * most 65535 requests wait at once. A request whose future a caller abandons
 * ({@code orTimeout}, {@code cancel}) is forgotten. When the connection closes,
 * every request still waiting fails: with a {@link ByeException} when the server
 * sent a Bye, otherwise with the cause of the close.
 */
public final class TcpDeviceClient implements AutoCloseable {
    private final Channel channel;
    private final ClientHandler handler;
    private final HelloXCodec helloX;

    private TcpDeviceClient(Channel channel, ClientHandler handler, HelloXCodec helloX) {
        this.channel = channel;
        this.handler = handler;
        this.helloX = helloX;
    }

    /**
     * Settings of a client.
     *
     * @param autoAck whether the client acks each Push as soon as it receives it
     * @param maxPayloadLength the longest frame payload accepted from the server,
     *     0..65535; a longer one is a protocol error that closes the connection
     */
    public record Options(boolean autoAck, int maxPayloadLength) {
        /** The default: acks pushes, accepts any payload length the protocol allows. */
        public static final Options DEFAULTS = new Options(true, 0xFFFF);

        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException when maxPayloadLength is outside 0..65535
         */
        public Options {
            if (maxPayloadLength < 0 || maxPayloadLength > 0xFFFF) {
                throw new IllegalArgumentException("maxPayloadLength: " + maxPayloadLength + " (expected: 0..65535)");
            }
        }

        /** Returns a builder starting from {@link #DEFAULTS}. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Options}; starts from the defaults. */
        public static final class Builder {
            private boolean autoAck = DEFAULTS.autoAck();
            private int maxPayloadLength = DEFAULTS.maxPayloadLength();

            private Builder() {
            }

            /** Sets whether pushes are acked on receipt (default true). */
            public Builder autoAck(boolean autoAck) {
                this.autoAck = autoAck;
                return this;
            }

            /** Sets the longest payload accepted from the server (default 65535). */
            public Builder maxPayloadLength(int maxPayloadLength) {
                this.maxPayloadLength = maxPayloadLength;
                return this;
            }

            /**
             * Returns the options.
             *
             * @throws IllegalArgumentException when a setting is out of range
             */
            public Options build() {
                return new Options(autoAck, maxPayloadLength);
            }
        }
    }

    /**
     * A push received from the server.
     *
     * @param seq the server's seq for this push, which its Ack must carry
     * @param payload the opaque business bytes
     */
    public record Push(int seq, byte[] payload) {
        @Override
        public String toString() {
            return "Push(seq=" + seq + ", len=" + payload.length + ")";
        }
    }

    /**
     * Connects to {@code server} on an event loop of {@code group}, which must be a
     * NIO group ({@link NioIoHandler}). The caller keeps ownership of the group.
     *
     * @return a future completed with the connected client, or exceptionally when
     *     the connection fails
     */
    public static CompletableFuture<TcpDeviceClient> connect(
            EventLoopGroup group, InetSocketAddress server, Options options) {
        requireNonNull(group, "group");
        requireNonNull(server, "server");
        requireNonNull(options, "options");
        return connect(new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true), server, options);
    }

    /**
     * Connects to {@code server} on an event loop of its own, a single daemon
     * thread that ends when the connection closes. Suits a tool holding one
     * connection; many connections should share a group through
     * {@link #connect(EventLoopGroup, InetSocketAddress, Options)}.
     */
    public static CompletableFuture<TcpDeviceClient> connect(InetSocketAddress server, Options options) {
        requireNonNull(server, "server");
        requireNonNull(options, "options");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("frontier-device", true), NioIoHandler.newFactory());
        return connect(group, server, options).whenComplete((client, error) -> {
            if (error != null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            } else {
                client.closed().whenComplete((v, e) -> group.shutdownGracefully(0, 0, TimeUnit.SECONDS));
            }
        });
    }

    /** Connects with a bootstrap whose group, channel type and options are already set. */
    static CompletableFuture<TcpDeviceClient> connect(Bootstrap bootstrap, SocketAddress server, Options options) {
        ClientHandler handler = new ClientHandler(options.autoAck());
        HelloXCodec helloX = new HelloXCodec();
        bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new TcpFrameDecoder(options.maxPayloadLength()), TcpFrameEncoder.INSTANCE, helloX,
                        handler);
            }
        });
        CompletableFuture<TcpDeviceClient> result = new CompletableFuture<>();
        bootstrap.connect(server).addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
                result.complete(new TcpDeviceClient(connected.channel(), handler, helloX));
            } else {
                result.completeExceptionally(connected.cause());
            }
        });
        return result;
    }

    /**
     * Sends Hello and returns a future completed with the server's
     * {@link TcpHelloAck}; it fails with a {@link ByeException} when the server
     * refuses the device, or with the cause of the close when the connection ends first.
     *
     * @param token the credential the gateway verifies
     * @param deviceId the device's id
     * @param appVersion the app version the gateway records; may be null
     */
    public CompletableFuture<TcpHelloAck> hello(String token, String deviceId, String appVersion) {
        requireNonNull(token, "token");
        requireNonNull(deviceId, "deviceId");
        byte[] payload = TcpHello.newBuilder()
                .setToken(token)
                .setDeviceId(deviceId)
                .setAppVersion(appVersion == null ? "" : appVersion)
                .build()
                .toByteArray();
        return handler.call(channel, TcpCommand.HELLO, payload, reply -> TcpHelloAck.parseFrom(reply.payloadBytes()));
    }

    /**
     * Opens an encrypted channel (HelloX, PROTOCOL.md 1.6) with the edge whose static public key is
     * {@code serverKey}, then says Hello in it, and returns a future completed with the edge's
     * {@link TcpHelloAck}; every frame after the HelloX is sealed both ways. Fails as {@link #hello}
     * does, and with a {@link ByeException} of 401 when the edge does not hold that key.
     *
     * @param serverKey the edge's X25519 public key, 32 bytes, as it prints it at start
     */
    public CompletableFuture<TcpHelloAck> helloX(byte[] serverKey, String token, String deviceId, String appVersion) {
        requireNonNull(serverKey, "serverKey");
        requireNonNull(token, "token");
        requireNonNull(deviceId, "deviceId");
        byte[] payload;
        try {
            payload = helloX.start(serverKey);
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(e);
        }
        return handler.call(channel, TcpCommand.HELLO_X, payload, reply -> null)
                .thenCompose(sealed -> hello(token, deviceId, appVersion));
    }

    /** Sends Ping and returns a future completed when the server's Ping of the same seq arrives. */
    public CompletableFuture<Void> ping() {
        return handler.call(channel, TcpCommand.PING, new byte[0], reply -> null);
    }

    /**
     * Sends an upstream request (Data) to backend {@code service} and returns a
     * future completed with the server's {@link TcpResponse} of the same seq.
     *
     * @param payloadType the payload's type as the backend knows it; may be null
     */
    public CompletableFuture<TcpResponse> request(int service, byte[] payload, String payloadType) {
        requireNonNull(payload, "payload");
        byte[] request = TcpRequest.newBuilder()
                .setService(service)
                .setPayload(ByteString.copyFrom(payload))
                .setPayloadType(payloadType == null ? "" : payloadType)
                .build()
                .toByteArray();
        return handler.call(channel, TcpCommand.DATA, request, reply -> TcpResponse.parseFrom(reply.payloadBytes()));
    }

    /** Writes {@code bytes} as they are, frame or not: tests use it to break the protocol. */
    public void sendRaw(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** Writes {@code frame}, which the client releases once written. */
    public void send(TcpFrame frame) {
        requireNonNull(frame, "frame");
        channel.writeAndFlush(frame);
    }

    /**
     * Returns the pushes received and not yet taken, in arrival order. The queue is
     * unbounded: a caller that receives pushes must drain it.
     */
    public BlockingQueue<Push> pushes() {
        return handler.pushes();
    }

    /** Acks the push of {@code seq}; needed only when {@link Options#autoAck()} is off. */
    public void ack(int seq) {
        channel.writeAndFlush(TcpFrame.empty(TcpCommand.ACK, seq));
    }

    /**
     * Returns a future completed with the server's Bye (a Bye without payload reads
     * as code 0), or failed with the cause of the close when the connection closed
     * without one.
     */
    public CompletableFuture<Bye> byeReceived() {
        return handler.byeReceived();
    }

    /**
     * Returns a future completed once the connection has closed and every waiting
     * request has failed; {@link #byeReceived()} is complete by then.
     */
    public CompletableFuture<Void> closed() {
        return handler.closed();
    }

    /** Returns whether the connection is open. */
    public boolean isActive() {
        return channel.isActive();
    }

    /** Returns the client's local address, which the server sees as the device's. */
    public InetSocketAddress localAddress() {
        SocketAddress address = channel.localAddress();
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    /** Sends a Bye with {@code code} and {@code reason}, then closes the connection. */
    public void bye(int code, String reason) {
        channel.writeAndFlush(TcpFrame.of(TcpCommand.BYE, 0, ClientHandler.byePayload(code, reason)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes the connection without a Bye; {@link #closed()} tells when it is done. */
    @Override
    public void close() {
        channel.close();
    }

    /** Returns the number of requests waiting for a reply; tests check that none is left behind. */
    int pendingCount() throws Exception {
        return channel.eventLoop().submit(handler::pendingCount).get();
    }

    @Override
    public String toString() {
        return "TcpDeviceClient(" + channel.localAddress() + " -> " + channel.remoteAddress() + ")";
    }
}
