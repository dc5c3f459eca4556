package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.auth.JwtAuthenticator;
import io.frontier.edge.internal.metrics.EdgeMetrics;
import io.frontier.edge.internal.metrics.UpstreamMetrics;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.routing.RouteTable;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the sessions record in the edge's meters: each event moves its own counter, and only that one. */
class SessionMetricsTest {
    private static final EdgeConfig CONFIG = EdgeConfig.builder().jwtSecret(Tokens.SECRET).build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private SessionContext context = context(CONFIG);
    private EmbeddedChannel channel;
    private FakeTransport transport;

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        meters.close();
    }

    private SessionContext context(EdgeConfig config) {
        return new SessionContext(config, EmbeddedSessions.registry(),
                new JwtAuthenticator(config.auth().jwtSecret(), Clock.systemUTC()),
                new UpstreamRouter(new RouteTable(Map.of(), config.upstream().deadline(), target -> null),
                        new UpstreamMetrics(meters)),
                new SessionListener() {
                    @Override
                    public void onConnected(Session session) {
                    }

                    @Override
                    public void onDisconnected(Session session, int code, String reason) {
                    }
                },
                EmbeddedSessions.CONN_IDS, Clock.systemUTC(), null, new EdgeMetrics(meters));
    }

    private DeviceSession open(ClientType type) {
        channel = new EmbeddedChannel();
        channels.add(channel);
        channel.freezeTime();
        transport = new FakeTransport(channel, type);
        DeviceSession session = new DeviceSession(context, transport);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                session.closed();
            }
        });
        session.open();
        return session;
    }

    private DeviceSession online(String user) {
        DeviceSession session = open(ClientType.CLIENT_TYPE_TCP);
        session.frame();
        channel.advanceTimeBy(30, TimeUnit.MILLISECONDS);
        session.hello(new Credentials(Tokens.valid(user, null), "phone-1", ClientType.CLIENT_TYPE_TCP, "", ""));
        channel.runPendingTasks();
        assertThat(session.online()).isTrue();
        transport.take();
        return session;
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }

    private double open(String protocol) {
        return meters.get("frontier.edge.connections").tag("protocol", protocol).gauge().value();
    }

    @Test
    void aDeviceThatComesOnline_isCountedOpen_itsHelloTimed_andItsCloseCountedByCode() {
        DeviceSession session = online("alice");

        assertThat(open("tcp")).isEqualTo(1);
        assertThat(open("ws")).isZero();
        assertThat(counter("frontier.edge.connects", "protocol", "tcp")).isEqualTo(1);
        assertThat(meters.get("frontier.edge.hello").timer().count()).isEqualTo(1);
        assertThat(meters.get("frontier.edge.hello").timer().totalTime(TimeUnit.MILLISECONDS))
                .as("from the connection's opening, on the event loop's clock").isGreaterThanOrEqualTo(30);

        session.close(410, "kicked");
        channel.runPendingTasks();
        assertThat(channel.isActive()).isFalse();
        assertThat(counter("frontier.edge.closes", "protocol", "tcp", "code", "410")).isEqualTo(1);
        assertThat(open("tcp")).isZero();
    }

    @Test
    void aRefusedToken_countsAnAuthFailure_andA401Close() {
        DeviceSession session = open(ClientType.CLIENT_TYPE_WS);
        session.frame();
        session.hello(new Credentials("not-a-token", "phone-1", ClientType.CLIENT_TYPE_WS, "", ""));
        channel.runPendingTasks();

        assertThat(counter("frontier.edge.auth.failures", "reason", "refused")).isEqualTo(1);
        assertThat(counter("frontier.edge.closes", "protocol", "ws", "code", "401")).isEqualTo(1);
        assertThat(meters.get("frontier.edge.hello").timer().count()).isZero();
    }

    @Test
    void refusals_areCountedByTheLimitThatRefused() {
        context = context(CONFIG.toBuilder().maxConnections(1).build());
        context.draining(true);
        DeviceSession draining = open(ClientType.CLIENT_TYPE_TCP);
        draining.refuse(draining.refusal());
        context.draining(false);
        DeviceSession full = open(ClientType.CLIENT_TYPE_TCP);
        full.refuse(full.refusal());

        assertThat(counter("frontier.edge.refusals", "reason", "draining")).isEqualTo(1);
        assertThat(counter("frontier.edge.refusals", "reason", "edge_full")).isEqualTo(1);
        assertThat(counter("frontier.edge.connects", "protocol", "tcp")).as("the draining one was taken in")
                .isEqualTo(1);
    }

    @Test
    void pushes_areCountedWrittenAcknowledgedTimedOutAndUnwritable() {
        DeviceSession session = online("alice");
        session.push(message("a"), 60_000);
        session.ack(1);
        session.push(message("b"), 1000);
        channel.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        session.pushUnacked(message("c"));

        assertThat(counter("frontier.edge.pushes", "result", "written")).isEqualTo(3);
        assertThat(counter("frontier.edge.pushes", "result", "acknowledged")).isEqualTo(1);
        assertThat(counter("frontier.edge.pushes", "result", "ack_timeout")).isEqualTo(1);

        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // Nothing leaves: the device does not read.
            }
        });
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[32]));
        session.push(message("d"), 0);
        session.pushUnacked(message("e"));
        session.ping(1, Unpooled.EMPTY_BUFFER);

        assertThat(counter("frontier.edge.pushes", "result", "unwritable")).isEqualTo(2);
        assertThat(counter("frontier.edge.write.buffer.full")).as("two pushes and a pong").isEqualTo(3);
    }

    @Test
    void upstreamRequests_areCountedByServiceAndStatus_aServiceWithoutRouteAsUnknown() {
        DeviceSession session = online("alice");
        session.request(SendMessageRequest.newBuilder().setService(7));
        channel.runPendingTasks();

        assertThat(counter("frontier.edge.upstream.requests", "service", "unknown", "status", "404")).isEqualTo(1);
        assertThat(meters.find("frontier.edge.upstream.requests").tag("service", "7").counter())
                .as("a service no route names is no label").isNull();
    }

    private static PushMessage message(String text) {
        return new PushMessage(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), "", 0, 0);
    }
}
