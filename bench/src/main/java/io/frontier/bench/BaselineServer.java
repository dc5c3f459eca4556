package io.frontier.bench;

import io.frontier.edge.transport.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * The baseline: a minimal Netty server (NIO, the gateway's default allocator, one
 * handler that drops what it reads) holding connections with nothing of ours: raw TCP
 * on one port, and Netty's own WebSocket server on {@code /ws} of another, on the
 * gateway's I/O transport. Usage: {@code BaselineServer TCP_PORT WS_PORT [auto|epoll|nio] [CONTROL_PORT]}.
 * With a control port (bench/compare's push scenarios) it also keeps devices by id and pushes
 * to them ({@link BaselinePushes}); without, it holds connections and nothing more, as the idle
 * scenario measures it.
 */
public final class BaselineServer {
    private BaselineServer() {
    }

    @ChannelHandler.Sharable
    static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int tcpPort = Integer.parseInt(args[0]);
        int wsPort = Integer.parseInt(args[1]);
        IoTransport transport = IoTransport.parse(args.length > 2 ? args[2] : "auto").resolve();
        BaselinePushes pushes = args.length > 3 ? new BaselinePushes() : null;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.handlerFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(transport.handlerFactory());
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws")
                .subprotocols("frontier.pb").checkStartsWith(true).build();
        Channel tcp = server(transport, boss, workers, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (pushes == null) {
                    ch.pipeline().addLast(Discard.INSTANCE);
                } else {
                    pushes.tcpDevice(ch.pipeline());
                }
            }
        }).bind("127.0.0.1", tcpPort).sync().channel();
        server(transport, boss, workers, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                        new WebSocketServerProtocolHandler(ws));
                if (pushes != null) {
                    ch.pipeline().addLast(pushes.wsRegistrar());
                }
                ch.pipeline().addLast(Discard.INSTANCE);
            }
        }).bind("127.0.0.1", wsPort).sync();
        if (pushes != null) {
            server(transport, boss, workers, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    pushes.control(ch.pipeline());
                }
            }).bind("127.0.0.1", Integer.parseInt(args[3])).sync();
        }
        System.out.println("baseline listening on 127.0.0.1:" + tcpPort + " (TCP) and :" + wsPort + " (WebSocket), "
                + transport);
        tcp.closeFuture().sync();
    }

    private static ServerBootstrap server(IoTransport transport, EventLoopGroup boss, EventLoopGroup workers,
            ChannelInitializer<Channel> init) {
        return new ServerBootstrap().group(boss, workers).channel(transport == IoTransport.EPOLL
                        ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096).childHandler(init);
    }
}
