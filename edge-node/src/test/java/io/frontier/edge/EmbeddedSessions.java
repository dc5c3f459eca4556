package io.frontier.edge;

import io.frontier.edge.internal.auth.JwtAuthenticator;
import io.frontier.edge.routing.RouteTable;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.internal.session.Deadlines;
import io.frontier.edge.session.Session;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.session.SessionListener;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.protocol.ConnIds;
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
    private EmbeddedSessions() {
    }

    /** Returns a context on {@code registry} with built-in tokens and no routes; {@code events} hears every session. */
    public static SessionContext context(EdgeConfig config, SessionRegistry registry, Deadlines deadlines,
                                         List<String> events) {
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
        return new SessionContext(config, registry, deadlines,
                new JwtAuthenticator(config.jwtSecret(), Clock.systemUTC()),
                new UpstreamRouter(new RouteTable(Map.of(), config.upstreamDeadline(), target -> null)),
                listener, new ConnIds(new InetSocketAddress("127.0.0.1", 9000), System::currentTimeMillis),
                Clock.systemUTC());
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
