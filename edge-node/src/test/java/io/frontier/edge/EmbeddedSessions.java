package io.frontier.edge;

import io.frontier.api.v1.ClientType;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.internal.auth.JwtAuthenticator;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.FakeTransport;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.routing.RouteTable;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.frontier.protocol.ConnIds;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the session handlers' EmbeddedChannel tests share: a context without sockets, and writes that fail. */
public final class EmbeddedSessions {
    /** The ids of the sessions of these tests' contexts and registries. */
    public static final ConnIds CONN_IDS = new ConnIds(new InetSocketAddress("127.0.0.1", 9000), System::currentTimeMillis);

    private EmbeddedSessions() {
    }

    /** Returns an empty registry of sessions with ids of {@link #CONN_IDS}. */
    public static SessionRegistry registry() {
        return new SessionRegistry(4, CONN_IDS);
    }

    /** Returns a context on {@code registry} with built-in tokens and no routes; {@code events} hears every session. */
    public static SessionContext context(EdgeConfig config, SessionRegistry registry, List<String> events) {
        SessionListener listener = new SessionListener() {
            @Override
            public void onConnected(Session session) {
                events.add("up " + session.userId() + "/" + session.deviceId());
            }

            @Override
            public void onDisconnected(Session session, int code, String reason) {
                events.add("down " + session.userId() + "/" + session.deviceId() + " " + code);
            }
        };
        return context(config, registry, listener);
    }

    /** Returns a context on {@code registry} with built-in tokens and no routes; {@code listener} hears every session. */
    public static SessionContext context(EdgeConfig config, SessionRegistry registry, SessionListener listener) {
        return context(config, registry, listener, null);
    }

    /** As {@link #context(EdgeConfig, SessionRegistry, SessionListener)}, with HelloX's keys (or null for none). */
    public static SessionContext context(EdgeConfig config, SessionRegistry registry, SessionListener listener,
                                         HelloXKeys helloXKeys) {
        return new SessionContext(config, registry, new JwtAuthenticator(config.auth().jwtSecret(), Clock.systemUTC()),
                new UpstreamRouter(new RouteTable(Map.of(), config.upstream().deadline(), target -> null)),
                listener, CONN_IDS, Clock.systemUTC(), helloXKeys);
    }

    /**
     * Returns a session of {@code user}/{@code device} on {@code channel}, online in {@code context}'s
     * registry, writing through a {@link FakeTransport}.
     */
    public static DeviceSession online(SessionContext context, Channel channel, ClientType type, String user,
                                       String device) {
        DeviceSession session = new DeviceSession(context, new FakeTransport(channel, type));
        session.online(new Identity(user, device), "");
        return session;
    }

    /**
     * An outbound handler that fails the writes of the messages {@code fails} selects as an encoder
     * whose classes did not load would: with a {@link NoClassDefFoundError}. Other writes pass.
     */
    public static ChannelOutboundHandlerAdapter failingWrites(Predicate<Object> fails) {
        return new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (!fails.test(msg)) {
                    ctx.write(msg, promise);
                    return;
                }
                ReferenceCountUtil.release(msg);
                throw new NoClassDefFoundError("io/frontier/api/v1/Bye (injected by the test)");
            }
        };
    }
}
