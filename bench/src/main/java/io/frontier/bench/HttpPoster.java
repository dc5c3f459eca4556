package io.frontier.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 POSTs to one server over a few keep-alive connections, pipelined: a request is
 * written without waiting for the replies before it, which come back in order. This is how the
 * generator publishes to the peers' HTTP APIs (nchan's publisher, the Node server's, the
 * baseline's) at tens of thousands of requests a second from one thread.
 */
final class HttpPoster implements AutoCloseable {
    /** Receives a reply's status, or -1 when the connection closed first. */
    interface Reply {
        void on(int status, String body);
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-http", true),
            NioIoHandler.newFactory());
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final String host;

    HttpPoster(int port, int connectionCount) throws InterruptedException {
        this.host = "127.0.0.1:" + port;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < connectionCount; i++) {
            Connection c = new Connection();
            c.channel = b.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), c);
                }
            }).connect("127.0.0.1", port).sync().channel();
            connections.add(c);
        }
    }

    /** POSTs {@code body} to {@code path} on the next connection in turn. */
    void post(String path, byte[] body, Reply reply) {
        connections.get(Math.floorMod(next.getAndIncrement(), connections.size())).post(path, body, reply);
    }

    /** POSTs and returns the reply's body, failing on a status other than 2xx. */
    CompletableFuture<String> post(String path, byte[] body) {
        CompletableFuture<String> f = new CompletableFuture<>();
        post(path, body, (status, text) -> {
            if (status / 100 == 2) {
                f.complete(text);
            } else {
                f.completeExceptionally(new IllegalStateException("POST " + path + ": " + status + " " + text));
            }
        });
        return f;
    }

    /** One pipelined connection: replies arrive in the order of the requests, so a queue matches them. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        /** Filled under this connection's lock, in the order the requests are written; emptied by its event loop. */
        private final Queue<Reply> pending = new ConcurrentLinkedQueue<>();
        private Channel channel;

        synchronized void post(String path, byte[] body, Reply reply) {
            if (!channel.isActive()) {
                reply.on(-1, "connection closed");
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                    Unpooled.wrappedBuffer(body));
            request.headers().set(HttpHeaderNames.HOST, host).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            pending.add(reply);
            channel.writeAndFlush(request, channel.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Reply r = pending.poll();
            if (r != null) {
                r.on(response.status().code(), response.content().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Reply r; (r = pending.poll()) != null; ) {
                r.on(-1, "connection closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Connection c : connections) {
            c.channel.close().await(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
