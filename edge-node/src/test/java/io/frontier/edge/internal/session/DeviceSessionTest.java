package io.frontier.edge.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The rules every protocol shares (PROTOCOL.md 1.3, 2.2, 3), tested once on the state
 * machine with a transport that says in words what it was asked to write. Deadlines run on
 * the EmbeddedChannel's clock, which the tests advance.
 */
class DeviceSessionTest {
    private static final EdgeConfig CONFIG = EdgeConfig.builder().jwtSecret(Tokens.SECRET).build();

    private final SessionRegistry registry = EmbeddedSessions.registry();
    private final List<String> events = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private SessionContext context = EmbeddedSessions.context(CONFIG, registry, events);
    private EmbeddedChannel channel;
    private FakeTransport transport;
    private DeviceSession session;

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** Opens a connection of {@code type} in {@link #context}, as a transport's channelActive would. */
    private DeviceSession open(ClientType type) {
        return open(type, new EmbeddedChannel());
    }

    /** Opens a connection of {@code type} from the IP address {@code ip}. */
    private DeviceSession openFrom(String ip) {
        InetSocketAddress remote = new InetSocketAddress(ip, 40_000);
        return open(ClientType.CLIENT_TYPE_TCP, new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        });
    }

    private DeviceSession open(ClientType type, EmbeddedChannel connection) {
        channel = connection;
        channels.add(channel);
        channel.freezeTime();
        transport = new FakeTransport(channel, type);
        session = new DeviceSession(context, transport);
        DeviceSession opened = session;
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                opened.closed();
            }
        });
        session.open();
        return session;
    }

    private DeviceSession online(ClientType type, String user, String device) {
        open(type);
        assertThat(session.frame()).isTrue();
        session.online(new Identity(user, device), "1.0");
        assertThat(transport.take()).containsExactly("hello " + user + "/" + device);
        return session;
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private static PushMessage message(String text) {
        return new PushMessage(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), "", 0, 0);
    }

    // ---- admission ----

    @Test
    void aDrainingEdge_refusesWith503_andClosesOnTheFirstFrame() {
        context.draining(true);
        open(ClientType.CLIENT_TYPE_TCP);
        assertThat(session.refusal()).isEqualTo(503);
        session.refuse(503);
        assertThat(transport.take()).containsExactly("bye 503 edge is draining: reconnect to another edge");
        assertThat(channel.isActive()).as("open until the device's first frame").isTrue();

        assertThat(session.frame()).isFalse();
        assertThat(channel.isActive()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void refusedConnectionsPastTheMostHeld_areClosedAtOnce_andAPlaceComesBackWhenOneCloses() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().maxConnections(1).build(), registry, events);
        open(ClientType.CLIENT_TYPE_TCP);
        List<EmbeddedChannel> held = new ArrayList<>();
        for (int i = 0; i < SessionContext.MAX_REFUSED_HELD; i++) {
            open(ClientType.CLIENT_TYPE_TCP);
            held.add(channel);
        }
        assertThat(held).allMatch(EmbeddedChannel::isActive);

        open(ClientType.CLIENT_TYPE_TCP);
        assertThat(channel.isActive()).as("no place left to be told why").isFalse();

        held.get(0).close();
        open(ClientType.CLIENT_TYPE_WS);
        assertThat(channel.isActive()).isTrue();
        assertThat(session.refusal()).isEqualTo(429);
        assertThat(session.refusalReason(429)).isEqualTo("edge holds its maximum of 1 connections");
    }

    @Test
    void aFullEdge_refusesWith429_andARefusedConnectionClosesAtTheHelloDeadline() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().maxConnections(1).build(), registry, events);
        open(ClientType.CLIENT_TYPE_TCP);
        EmbeddedChannel first = channel;
        assertThat(session.refusal()).isZero();
        open(ClientType.CLIENT_TYPE_WS);
        assertThat(session.refusal()).isEqualTo(429);
        session.refuse(429);
        assertThat(context.openConnections()).isEqualTo(1);

        advance(CONFIG.sessions().helloTimeout().toMillis() + 1000);
        assertThat(channel.isActive()).isFalse();

        first.close();
        assertThat(context.openConnections()).isZero();
    }

    @Test
    void anAddressPastItsConnectRate_isRefusedWith429_andOthersAreNot() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().connectRatePerIp(1).connectBurstPerIp(2).build(),
                registry, events);
        openFrom("192.0.2.1");
        openFrom("192.0.2.1");
        assertThat(session.refusal()).isZero();

        openFrom("192.0.2.1");
        assertThat(session.refusal()).isEqualTo(429);
        assertThat(session.refusalReason(429)).isEqualTo("address connects more often than 1 per second");
        assertThat(context.openConnections()).as("a refused connection is not counted").isEqualTo(2);
        openFrom("192.0.2.2");
        assertThat(session.refusal()).isZero();
    }

    @Test
    void anAddressThatKeepsFailingAuthentication_isRefused429_atItsNextHelloAndConnection_withoutAuthenticating() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().authFailuresPerIp(2).build(), registry, events);
        DeviceSession waiting = openFrom("192.0.2.1");
        FakeTransport waitingTransport = transport;
        for (int i = 0; i < 2; i++) {
            openFrom("192.0.2.1");
            assertThat(session.refusal()).isZero();
            session.hello(new Credentials("not-a-token", "phone-1", ClientType.CLIENT_TYPE_TCP, "", ""));
            channel.runPendingTasks();
            assertThat(transport.take()).singleElement().asString().startsWith("bye 401");
        }

        String banned = "address failed authentication 2 times within 60 s: refused for 60 s";
        openFrom("192.0.2.1");
        assertThat(session.refusal()).isEqualTo(429);
        assertThat(session.refusalReason(429)).isEqualTo(banned);
        waiting.hello(new Credentials(Tokens.valid("alice", null), "phone-1", ClientType.CLIENT_TYPE_TCP, "", ""));
        assertThat(waitingTransport.take()).as("opened before the ban").containsExactly("bye 429 " + banned);
        assertThat(events).isEmpty();
        openFrom("192.0.2.2");
        assertThat(session.refusal()).isZero();
    }

    @Test
    void aUserAtItsMaximum_getsBye429ForAnotherDevice_whileADevicesReconnectReplacesItsConnection() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().maxConnectionsPerUser(2).build(), registry, events);
        DeviceSession phone = online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        FakeTransport phoneTransport = transport;
        DeviceSession tablet = online(ClientType.CLIENT_TYPE_WS, "alice", "tablet-1");

        open(ClientType.CLIENT_TYPE_TCP);
        assertThat(session.userRefusal(new Identity("alice", "watch-1")))
                .isEqualTo("user holds its maximum of 2 connections");
        assertThat(session.userRefusal(new Identity("alice", "phone-1"))).isNull();
        session.online(new Identity("alice", "watch-1"), "");
        assertThat(transport.take()).containsExactly("bye 429 user holds its maximum of 2 connections");
        assertThat(channel.isActive()).isFalse();
        assertThat(registry.byUser("alice")).containsExactly(phone, tablet);

        DeviceSession phoneAgain = online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        assertThat(phoneTransport.take()).containsExactly("bye 409 replaced by a newer connection of the device");
        assertThat(registry.byUser("alice")).containsExactlyInAnyOrder(phoneAgain, tablet);
        assertThat(events).containsExactly("up alice/phone-1", "up alice/tablet-1", "down alice/phone-1 409",
                "up alice/phone-1");
    }

    // ---- Hello and its deadline ----

    @Test
    void noHelloWithinTheTimeout_isBye408() {
        open(ClientType.CLIENT_TYPE_TCP);
        advance(CONFIG.sessions().helloTimeout().toMillis() - 1000);
        assertThat(channel.isActive()).isTrue();

        advance(2000);
        assertThat(transport.take()).containsExactly("bye 408 no Hello within 10000 ms");
        assertThat(channel.isActive()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void aHello_authenticatesAndRegisters_aSecondIsBye400() {
        open(ClientType.CLIENT_TYPE_TCP);
        session.hello(new Credentials(Tokens.valid("alice", null), "phone-1", ClientType.CLIENT_TYPE_TCP, "", "2.1"));
        channel.runPendingTasks();
        assertThat(transport.take()).containsExactly("hello alice/phone-1");
        assertThat(registry.byConnId(session.connId())).isSameAs(session);
        assertThat(events).containsExactly("up alice/phone-1");

        session.hello(new Credentials(Tokens.valid("alice", null), "phone-1", ClientType.CLIENT_TYPE_TCP, "", ""));
        assertThat(transport.take()).containsExactly("bye 400 second Hello");
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 400");
    }

    @Test
    void aRefusedToken_isBye401_andTheDeviceNeverGoesOnline() {
        open(ClientType.CLIENT_TYPE_TCP);
        session.hello(new Credentials("not-a-token", "phone-1", ClientType.CLIENT_TYPE_TCP, "", ""));
        channel.runPendingTasks();
        assertThat(transport.take()).singleElement().asString().startsWith("bye 401");
        assertThat(events).isEmpty();
    }

    @Test
    void aDevicesNewConnection_replacesItsOldOneWith409() {
        DeviceSession first = online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        FakeTransport firstTransport = transport;
        DeviceSession second = online(ClientType.CLIENT_TYPE_WS, "alice", "phone-1");

        assertThat(firstTransport.take()).containsExactly("bye 409 replaced by a newer connection of the device");
        assertThat(registry.byUser("alice")).containsExactly(second);
        assertThat(first.online()).isFalse();
        // The older connection is closed as part of registering the newer one, on its own loop.
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 409", "up alice/phone-1");
    }

    // ---- silence: the device pings (TCP), the server pings (WebSocket) ----

    @Test
    void aSilentDevice_thatPingsItself_isBye408IdleAfterTheIdleTimeout_andEachFrameKeepsItOnline() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        long idle = CONFIG.tcp().idleTimeout().toMillis();
        advance(idle - 2000);
        assertThat(session.frame()).isTrue();
        advance(idle - 2000);
        assertThat(channel.isActive()).isTrue();
        assertThat(transport.take()).isEmpty();

        advance(3000);
        assertThat(transport.take()).containsExactly("bye 408 idle");
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 408");
    }

    @Test
    void aSilentDevice_thatTheServerPings_isPingedOnce_andBye408AfterTwiceTheInterval() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        long interval = CONFIG.ws().pingInterval().toMillis();
        advance(interval + 1000);
        assertThat(transport.take()).containsExactly("ping");
        advance(interval / 2);
        assertThat(transport.take()).as("one ping per silence").isEmpty();

        advance(interval);
        assertThat(transport.take()).containsExactly("bye 408 no answer to pings");
    }

    @Test
    void anAnsweredPing_keepsTheDeviceOnline() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        long interval = CONFIG.ws().pingInterval().toMillis();
        for (int i = 0; i < 4; i++) {
            advance(interval + 1000);
            assertThat(transport.take()).containsExactly("ping");
            session.frame();
        }
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aByeTheDeviceDoesNotRead_closesTheConnectionAfterTheWriteTimeout() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        stallWrites();
        session.close(410, "kicked");
        advance(DeviceSession.WRITE_TIMEOUT_MS - 1000);
        assertThat(channel.isActive()).isTrue();

        advance(2000);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 410");
    }

    // ---- bounds on what a device sends ----

    @Test
    void framesBeforeOnline_overTheLimit_areBye429() {
        open(ClientType.CLIENT_TYPE_TCP);
        for (int i = 0; i < CONFIG.sessions().maxFramesBeforeOnline(); i++) {
            assertThat(session.frame()).isTrue();
        }
        assertThat(session.frame()).isFalse();
        assertThat(transport.take()).containsExactly("bye 429 more than 20 frames before Hello");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void framesPerSecond_overTheLimit_areBye429_andTheBudgetRefillsWithTime() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        int rate = CONFIG.sessions().maxFramesPerSecond();
        for (int second = 0; second < 3; second++) {
            for (int i = 0; i < rate; i++) {
                assertThat(session.frame()).as("second %d frame %d", second, i).isTrue();
            }
            advance(1000);
        }
        for (int i = 0; i < rate; i++) {
            session.frame();
        }
        assertThat(session.frame()).isFalse();
        assertThat(transport.take()).containsExactly("bye 429 more than 200 frames per second");
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 429");
    }

    @Test
    void eachPushSent_allowsOneMoreFrame_soThatAcksNeverCountAgainstADevice() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        int rate = CONFIG.sessions().maxFramesPerSecond();
        PushMessage news = message("n");
        for (int i = 0; i < 3 * rate; i++) {
            session.pushUnacked(news);
        }
        news.payload().release();
        for (int i = 0; i < 4 * rate; i++) {
            assertThat(session.frame()).as("frame %d", i).isTrue();
        }
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void pingsAndReplies_toADeviceThatDoesNotRead_areDropped_notQueued() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        makeUnwritable();
        session.ping(7, null);
        session.reply(SendMessageRequest.newBuilder().setSeqid(3), io.frontier.api.v1.SendMessageReply.newBuilder()
                .setStatus(200).build());
        assertThat(transport.take()).isEmpty();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aServerPing_isNotQueuedToADeviceThatDoesNotRead() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        makeUnwritable();
        advance(CONFIG.ws().pingInterval().toMillis() + 1000);
        assertThat(transport.take()).isEmpty();
    }

    /** Makes every later write stay pending, as on a socket that takes nothing more. */
    private void stallWrites() {
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** Fills the channel's write buffer past its high water mark, as a device that stopped reading does. */
    private void makeUnwritable() {
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // Nothing leaves: what is written stays in the outbound buffer.
            }
        });
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[32]));
        assertThat(channel.isWritable()).isFalse();
    }

    // ---- pushes and acks ----

    @Test
    void pushes_areNumberedFrom1_andAnAckSettlesOnlyItsOwn() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        CompletableFuture<PushResult> first = session.push(message("one"), 5000);
        CompletableFuture<PushResult> second = session.push(message("two"), 0);
        assertThat(transport.take()).containsExactly("push 1 one", "push 2 two");
        assertThat(second).isCompletedWithValueMatching(r -> r.outcome() == Outcome.DELIVERED);

        session.ack(9);
        assertThat(first).isNotDone();
        session.ack(1);
        assertThat(first).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACKNOWLEDGED);
    }

    @Test
    void anAckBeforeOnline_isBye401() {
        open(ClientType.CLIENT_TYPE_TCP);
        session.ack(1);
        assertThat(transport.take()).containsExactly("bye 401 Ack before Hello");
    }

    @Test
    void anUnackedPush_timesOut_andPushesPendingAtClose_areSettled() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        CompletableFuture<PushResult> timesOut = session.push(message("a"), 1000);
        advance(1001);
        assertThat(timesOut).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACK_TIMEOUT);

        CompletableFuture<PushResult> pending = session.push(message("b"), 60_000);
        channel.close();
        assertThat(pending).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACK_TIMEOUT
                && r.reason().equals("connection closed before the ack"));
        assertThat(session.push(message("c"), 0)).isCompletedWithValueMatching(r -> r.outcome() == Outcome.OFFLINE);
    }

    @Test
    void aPushToADeviceThatDoesNotRead_failsAtOnce() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        makeUnwritable();
        assertThat(session.push(message("x"), 0)).isCompletedWithValueMatching(r -> r.outcome() == Outcome.FAILED
                && r.reason().contains("not reading"));
        assertThat(session.pushUnacked(message("x"))).isEqualTo(PushWrite.UNWRITABLE);
    }

    @Test
    void pushSequenceNumbers_wrapTo1_andSkipThoseAwaitingAnAck() {
        channel = new EmbeddedChannel();
        channels.add(channel);
        transport = new FakeTransport(channel, ClientType.CLIENT_TYPE_TCP, 3);
        session = new DeviceSession(context, transport);
        session.open();
        session.online(new Identity("alice", "phone-1"), "");
        transport.take();
        session.push(message("a"), 60_000);
        session.pushUnacked(message("b"));
        session.pushUnacked(message("c"));
        session.pushUnacked(message("d"));
        assertThat(transport.take()).containsExactly("push 1 a", "push 2 b", "push 3 c", "push 2 d");
    }

    @Test
    void tooManyUnackedPushes_failTheNextOne() {
        context = EmbeddedSessions.context(CONFIG.toBuilder().maxPendingAcks(2).build(), registry, events);
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        session.push(message("1"), 5000);
        session.push(message("2"), 5000);
        assertThat(session.push(message("3"), 5000)).isCompletedWithValueMatching(
                r -> r.outcome() == Outcome.FAILED && r.reason().equals("too many unacknowledged pushes (max 2)"));
    }

    @Test
    void aPushThatDoesNotEncode_failsAndEndsTheSessionWith500() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        transport.failing = true;
        assertThat(session.push(message("x"), 0)).isCompletedWithValueMatching(r -> r.outcome() == Outcome.FAILED);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 500");
    }

    // ---- upstream ----

    @Test
    void aRequestBeforeOnline_isAnswered401_andTheConnectionStays() {
        open(ClientType.CLIENT_TYPE_TCP);
        session.request(SendMessageRequest.newBuilder().setSeqid(5).setService(1001));
        assertThat(transport.take()).containsExactly("reply 5 401");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aRequestForAServiceWithoutBackend_isAnswered404WithItsSeq() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        session.request(SendMessageRequest.newBuilder().setSeqid(42).setService(1001));
        channel.runPendingTasks();
        assertThat(transport.take()).containsExactly("reply 42 404");
    }

    // ---- Bye and close-once ----

    @Test
    void theDevicesBye_closesWithItsCode_andWithoutOneOfOurs() {
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        session.deviceBye(0, "");
        assertThat(transport.take()).containsExactly("bye acknowledged");
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 200");
    }

    @Test
    void theDevicesByeWords_reachTheListenerBounded_aCodeOfThreeDigits_aReasonQuotedShort() {
        List<String> reasons = new ArrayList<>();
        context = EmbeddedSessions.context(CONFIG, registry, new SessionListener() {
            @Override
            public void onConnected(Session session) {
            }

            @Override
            public void onDisconnected(Session session, int code, String reason) {
                reasons.add(code + " " + reason);
            }
        });
        online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
        session.deviceBye(70_000, "x".repeat(5_000) + "\n");

        assertThat(reasons).containsExactly("200 device said bye: \"" + "x".repeat(32) + "...\"");
    }

    @Test
    void aDeviceByeWhoseAnswerIsNotRead_closesAfterTheWriteTimeout() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        stallWrites();
        session.deviceBye(200, "bye");
        assertThat(channel.isActive()).isTrue();
        advance(DeviceSession.WRITE_TIMEOUT_MS + 1000);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/tab-1", "down alice/tab-1 200");
    }

    @Test
    void theFirstReasonToClose_wins_andIsLoggedOnce() {
        Logger logger = (Logger) LoggerFactory.getLogger(DeviceSession.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
        try {
            online(ClientType.CLIENT_TYPE_TCP, "alice", "phone-1");
            session.protocolError(400, "unknown cmd 0x55");
            session.protocolError(413, "frame too big");
            session.close(410, "kicked");
            session.unexpected(new IllegalStateException("late"));
            channel.runPendingTasks();

            assertThat(transport.take()).containsExactly("bye 400 unknown cmd 0x55");
            assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 400");
            assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().contains("closing"))
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                            .isEqualTo("conn " + session.connId() + ": closing with Bye 400: unknown cmd 0x55"));
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(level);
        }
    }

    @Test
    void aByeThatDoesNotEncode_stillClosesTheConnection() {
        online(ClientType.CLIENT_TYPE_WS, "alice", "tab-1");
        transport.failing = true;
        session.close(410, "kicked");
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/tab-1", "down alice/tab-1 410");
    }
}
