package io.frontier.edge;

import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real edge on a free port, device clients on a shared event loop, and the events the edge reported. */
public final class EdgeFixture implements AutoCloseable {
    final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final List<String> events = new CopyOnWriteArrayList<>();
    final EdgeNode edge;

    public EdgeFixture(EdgeConfig.Builder config) throws IOException, InterruptedException {
        edge = EdgeNode.start(config.tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).ioThreads(2).build(),
                new SessionListener() {
            @Override
            public void onConnected(Session session) {
                events.add("up " + session.userId() + "/" + session.deviceId() + " " + session.connId());
            }

            @Override
            public void onDisconnected(Session session, int code, String reason) {
                events.add("down " + session.userId() + "/" + session.deviceId() + " " + session.connId() + " " + code);
            }
        });
    }

    public static EdgeConfig.Builder defaults() {
        return EdgeConfig.builder().jwtSecret(Tokens.SECRET);
    }

    public EdgeNode edge() {
        return edge;
    }

    /** Returns "up user/device conn" and "down user/device conn code" lines, in the order the edge reported them. */
    public List<String> events() {
        return events;
    }

    /** Returns a BackService on a free port: see {@link FakeBackend}. */
    public static FakeBackend backend() throws IOException {
        return new FakeBackend();
    }

    public TcpDeviceClient connectTcp() {
        return connect();
    }

    TcpDeviceClient connect() {
        return TcpDeviceClient.connect(clients, edge.tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
    }

    @Override
    public void close() {
        edge.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
