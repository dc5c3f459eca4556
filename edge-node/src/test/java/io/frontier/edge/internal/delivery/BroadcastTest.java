package io.frontier.edge.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a broadcast fans out to event loops, counts, and gives back its payload, on EmbeddedChannels. */
class BroadcastTest {
    private static final int ALL = 1 << ClientType.CLIENT_TYPE_TCP_VALUE | 1 << ClientType.CLIENT_TYPE_WS_VALUE;

    private final SessionRegistry registry = EmbeddedSessions.registry();
    private final SessionContext context = EmbeddedSessions.context(
            EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(), registry, new ArrayList<>());
    private final ByteBuf payload = Unpooled.copiedBuffer("news", StandardCharsets.UTF_8);
    private final PushMessage message = new PushMessage(payload, "", 0, 0);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private int sessions;

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        payload.release();
        assertThat(payload.refCnt()).isZero();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return channel;
    }

    private DeviceSession session(Channel channel, ClientType type) {
        int n = ++sessions;
        DeviceSession session = EmbeddedSessions.online(context, channel, type, "user-" + n, "device");
        if (channel instanceof EmbeddedChannel embedded) {
            written(embedded);
        }
        return session;
    }

    /** Reads what the channel was sent, releasing it: the payload text of each push. */
    private static List<String> written(EmbeddedChannel channel) {
        List<String> texts = new ArrayList<>();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            texts.add(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return texts;
    }

    @Test
    void sessionsOfOneLoop_areWrittenInBatchesThatRunOnTheLoop_andThePayloadComesBack() {
        EmbeddedChannel shared = channel();
        for (int i = 0; i < 5; i++) {
            session(shared, ClientType.CLIENT_TYPE_TCP);
        }

        CompletableFuture<EdgeBroadcastReply> reply = Broadcast.start(registry, message, ALL, 2);

        assertThat(reply).as("nothing runs before the loop runs its tasks").isNotDone();
        assertThat(payload.refCnt()).isEqualTo(2);
        shared.runPendingTasks();
        assertThat(reply).isCompletedWithValue(EdgeBroadcastReply.newBuilder().setWritten(5).build());
        assertThat(written(shared)).containsExactly("news", "news", "news", "news", "news");
        assertThat(payload.refCnt()).isEqualTo(1);
    }

    @Test
    void unwritableAndClosedConnections_areSkippedAndCounted() {
        EmbeddedChannel reading = channel();
        EmbeddedChannel full = channel();
        EmbeddedChannel closing = channel();
        session(reading, ClientType.CLIENT_TYPE_WS);
        session(full, ClientType.CLIENT_TYPE_WS);
        session(closing, ClientType.CLIENT_TYPE_TCP).close(410, "kicked");
        written(closing);
        full.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        full.write(Unpooled.wrappedBuffer(new byte[16]));
        assertThat(full.isWritable()).isFalse();

        CompletableFuture<EdgeBroadcastReply> reply = Broadcast.start(registry, message, ALL, 1024);
        channels.forEach(EmbeddedChannel::runPendingTasks);

        assertThat(reply).isCompletedWithValue(EdgeBroadcastReply.newBuilder()
                .setWritten(1).setSkippedUnwritable(1).setSkippedClosed(1).build());
        assertThat(written(reading)).containsExactly("news");
        assertThat(written(closing)).isEmpty();
        assertThat(payload.refCnt()).isEqualTo(1);
    }

    @Test
    void clientTypeFilter_leavesTheOtherTypeOutOfTheCounts() {
        EmbeddedChannel tcp = channel();
        EmbeddedChannel ws = channel();
        session(tcp, ClientType.CLIENT_TYPE_TCP);
        session(ws, ClientType.CLIENT_TYPE_WS);

        CompletableFuture<EdgeBroadcastReply> reply =
                Broadcast.start(registry, message, 1 << ClientType.CLIENT_TYPE_WS_VALUE, 1024);
        channels.forEach(EmbeddedChannel::runPendingTasks);

        assertThat(reply).isCompletedWithValue(EdgeBroadcastReply.newBuilder().setWritten(1).build());
        assertThat(written(ws)).containsExactly("news");
        assertThat(written(tcp)).isEmpty();
    }

    @Test
    void aLoopThatRefusesTasks_countsItsSessionsClosed_andThePayloadComesBack() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        LocalChannel channel = new LocalChannel();
        loop.register(channel).sync();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        session(channel, ClientType.CLIENT_TYPE_TCP);
        session(channel, ClientType.CLIENT_TYPE_TCP);

        CompletableFuture<EdgeBroadcastReply> reply = Broadcast.start(registry, message, ALL, 1024);

        assertThat(reply).isCompletedWithValue(EdgeBroadcastReply.newBuilder().setSkippedClosed(2).build());
        assertThat(payload.refCnt()).isEqualTo(1);
    }

    @Test
    void anEmptyRegistry_answersAtOnce() {
        assertThat(Broadcast.start(registry, message, ALL, 1024)).isCompletedWithValue(EdgeBroadcastReply.getDefaultInstance());
        assertThat(payload.refCnt()).isEqualTo(1);
    }
}
