package io.frontier.device;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.device.FakeEdge.Received;
import io.frontier.device.TcpDeviceClient.Options;
import io.frontier.device.TcpDeviceClient.Push;
import io.frontier.protocol.StatusCode;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpProtocolException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ClosedChannelException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpDeviceClientTest {
    private static final long WAIT = FakeEdge.WAIT_SECONDS;
    private static EventLoopGroup group;

    private FakeEdge edge;
    private TcpDeviceClient client;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void connect() throws Exception {
        edge = new FakeEdge(group);
        client = connect(Options.DEFAULTS);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        client.closed().get(WAIT, TimeUnit.SECONDS);
        edge.close();
    }

    private TcpDeviceClient connect(Options options) throws Exception {
        return TcpDeviceClient.connect(group, edge.address(), options).get(WAIT, TimeUnit.SECONDS);
    }

    /** Replaces the edge and the client: the fake edge serves a single connection. */
    private void restart(Options options) throws Exception {
        client.close();
        await(client.closed());
        edge.close();
        edge = new FakeEdge(group);
        client = connect(options);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        return assertThatThrownBy(() -> future.get(WAIT, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .actual()
                .getCause();
    }

    @Test
    void hello_completesWithTheServersAck() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.hello("tok", "phone-1", "1.2.3");

        Received sent = edge.take();
        assertThat(sent.cmd()).isEqualTo(TcpCommand.HELLO);
        assertThat(sent.seq()).isBetween(1, 0xFFFF);
        assertThat(TcpHello.parseFrom(sent.payload())).isEqualTo(TcpHello.newBuilder()
                .setToken("tok").setDeviceId("phone-1").setAppVersion("1.2.3").build());

        TcpHelloAck ack = TcpHelloAck.newBuilder()
                .setConnId("c-1").setHeartbeatSeconds(60).setServerTimeMs(42).setUserId("alice").build();
        edge.send(TcpCommand.HELLO, sent.seq(), ack.toByteArray());

        assertThat(await(hello)).isEqualTo(ack);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void hello_failsWithByeException_whenTheServerRefuses() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.hello("bad", "phone-1", null);
        Received sent = edge.take();

        Bye refusal = Bye.newBuilder().setCode(StatusCode.UNAUTHORIZED).setReason("bad token").build();
        edge.send(TcpCommand.BYE, sent.seq(), refusal.toByteArray());

        assertThat(failureOf(hello)).isInstanceOfSatisfying(ByeException.class, bye -> {
            assertThat(bye.code()).isEqualTo(401);
            assertThat(bye.reason()).isEqualTo("bad token");
        });
        assertThat(await(client.byeReceived())).isEqualTo(refusal);
        await(client.closed());
        assertThat(client.isActive()).isFalse();
    }

    @Test
    void bye_withoutPayload_readsAsCodeZero() throws Exception {
        edge.send(TcpCommand.BYE, 0, new byte[0]);

        assertThat(await(client.byeReceived()).getCode()).isZero();
        await(client.closed());
    }

    @Test
    void ping_completesOnlyOnThePingOfTheSameSeq() throws Exception {
        CompletableFuture<Void> ping = client.ping();
        Received sent = edge.take();
        assertThat(sent.cmd()).isEqualTo(TcpCommand.PING);
        assertThat(sent.payload()).isEmpty();

        // Replies of another seq or cmd answer nothing; the ping that follows them proves they were read.
        edge.send(TcpCommand.PING, sent.seq() + 1, new byte[0]);
        edge.send(TcpCommand.DATA, sent.seq(), new byte[0]);
        CompletableFuture<Void> second = client.ping();
        Received secondSent = edge.take();
        assertThat(ping).isNotDone();

        edge.send(TcpCommand.PING, sent.seq(), new byte[0]);
        await(ping);
        edge.send(TcpCommand.PING, secondSent.seq(), new byte[0]);
        await(second);
    }

    @Test
    void request_completesWithTheResponseOfItsSeq_inAnyOrder() throws Exception {
        CompletableFuture<TcpResponse> first = client.request(1001, "hi".getBytes(UTF_8), "text");
        CompletableFuture<TcpResponse> second = client.request(1002, new byte[] {1, 2}, null);
        Received firstSent = edge.take();
        Received secondSent = edge.take();
        assertThat(firstSent.cmd()).isEqualTo(TcpCommand.DATA);
        assertThat(secondSent.seq()).isNotEqualTo(firstSent.seq());
        assertThat(TcpRequest.parseFrom(firstSent.payload())).isEqualTo(TcpRequest.newBuilder()
                .setService(1001).setPayload(ByteString.copyFromUtf8("hi")).setPayloadType("text").build());

        TcpResponse notFound = TcpResponse.newBuilder().setStatus(404).setMessage("no backend").build();
        TcpResponse ok = TcpResponse.newBuilder().setStatus(200).setPayload(ByteString.copyFromUtf8("yo")).build();
        edge.send(TcpCommand.DATA, secondSent.seq(), notFound.toByteArray());
        edge.send(TcpCommand.DATA, firstSent.seq(), ok.toByteArray());

        assertThat(await(first)).isEqualTo(ok);
        assertThat(await(second)).isEqualTo(notFound);
    }

    @Test
    void push_isQueuedAndAcked_whenAutoAck() throws Exception {
        edge.send(TcpCommand.PUSH, 1, "hello".getBytes(UTF_8));
        edge.send(TcpCommand.PUSH, 2, new byte[0]);

        Push push = client.pushes().poll(WAIT, TimeUnit.SECONDS);
        assertThat(push.seq()).isEqualTo(1);
        assertThat(new String(push.payload(), UTF_8)).isEqualTo("hello");
        assertThat(client.pushes().poll(WAIT, TimeUnit.SECONDS).seq()).isEqualTo(2);

        Received first = edge.take();
        assertThat(first.cmd()).isEqualTo(TcpCommand.ACK);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.payload()).isEmpty();
        Received second = edge.take();
        assertThat(second.cmd()).isEqualTo(TcpCommand.ACK);
        assertThat(second.seq()).isEqualTo(2);
    }

    @Test
    void push_waitsForAManualAck_whenAutoAckIsOff() throws Exception {
        restart(Options.builder().autoAck(false).build());

        edge.send(TcpCommand.PUSH, 9, "x".getBytes(UTF_8));
        Push push = client.pushes().poll(WAIT, TimeUnit.SECONDS);
        assertThat(push.seq()).isEqualTo(9);

        // An automatic ack would have been written before this ping.
        client.ping();
        assertThat(edge.take().cmd()).isEqualTo(TcpCommand.PING);

        client.ack(push.seq());
        Received ack = edge.take();
        assertThat(ack.cmd()).isEqualTo(TcpCommand.ACK);
        assertThat(ack.seq()).isEqualTo(9);
    }

    @Test
    void close_failsEveryPendingRequest() throws Exception {
        CompletableFuture<Void> ping = client.ping();
        CompletableFuture<TcpResponse> request = client.request(1, new byte[0], "");
        edge.take();
        edge.take();

        client.close();

        assertThat(failureOf(ping)).isInstanceOf(ClosedChannelException.class);
        assertThat(failureOf(request)).isInstanceOf(ClosedChannelException.class);
        assertThat(failureOf(client.byeReceived())).isInstanceOf(ClosedChannelException.class);
        await(client.closed());
        assertThat(client.pendingCount()).isZero();
        assertThat(failureOf(client.ping())).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void serverClose_failsEveryPendingRequest() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.hello("t", "d", "");
        edge.take();

        edge.peer().close().sync();

        assertThat(failureOf(hello)).isInstanceOf(ClosedChannelException.class);
        await(client.closed());
    }

    @Test
    void abandonedRequest_isForgotten() throws Exception {
        CompletableFuture<Void> ping = client.ping();
        edge.take();
        assertThat(client.pendingCount()).isOne();

        ping.cancel(false);

        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void oversizedFrameFromTheServer_closesWithBye413() throws Exception {
        restart(Options.builder().maxPayloadLength(4).build());
        CompletableFuture<Void> ping = client.ping();
        edge.take();

        edge.send(TcpCommand.PUSH, 1, new byte[5]);

        Received bye = edge.take();
        assertThat(bye.cmd()).isEqualTo(TcpCommand.BYE);
        assertThat(Bye.parseFrom(bye.payload()).getCode()).isEqualTo(StatusCode.TOO_LARGE);
        assertThat(failureOf(ping)).isInstanceOf(TcpProtocolException.class);
        await(client.closed());
        assertThat(client.pushes()).isEmpty();
    }

    @Test
    void sendRaw_writesTheBytesAsTheyAre() throws Exception {
        client.sendRaw(HexFormat.of().parseHex("0200070000"));
        assertThat(edge.take()).satisfies(ping -> {
            assertThat(ping.cmd()).isEqualTo(TcpCommand.PING);
            assertThat(ping.seq()).isEqualTo(7);
        });

        client.sendRaw(new byte[] {0x55, 0, 0, 0, 0});
        assertThat(edge.takeError()).isInstanceOfSatisfying(TcpProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(StatusCode.BAD_REQUEST));
    }

    @Test
    void bye_sendsByeThenCloses() throws Exception {
        client.bye(StatusCode.OK, "done");

        Received bye = edge.take();
        assertThat(bye.cmd()).isEqualTo(TcpCommand.BYE);
        assertThat(Bye.parseFrom(bye.payload())).isEqualTo(Bye.newBuilder().setCode(200).setReason("done").build());
        await(client.closed());
        edge.peer().closeFuture().get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void seq_wrapsFrom65535To1_skippingZero() {
        assertThat(ClientHandler.nextSeq(0)).isEqualTo(1);
        assertThat(ClientHandler.nextSeq(1)).isEqualTo(2);
        assertThat(ClientHandler.nextSeq(0xFFFF)).isEqualTo(1);
    }

    @Test
    void options_rejectAnOutOfRangePayloadLimit() {
        assertThatThrownBy(() -> Options.builder().maxPayloadLength(70000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPayloadLength: 70000 (expected: 0..65535)");
        assertThat(Options.DEFAULTS).isEqualTo(new Options(true, 65535));
    }

    @Test
    void connect_failsWhenNothingListens() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) socket.getLocalSocketAddress();
        }

        assertThat(failureOf(TcpDeviceClient.connect(group, closedPort, Options.DEFAULTS)))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void connect_withItsOwnEventLoop_endsItOnClose() throws Exception {
        client.close();
        await(client.closed());
        edge.close();
        edge = new FakeEdge(group);
        client = TcpDeviceClient.connect(edge.address(), Options.DEFAULTS).get(WAIT, TimeUnit.SECONDS);

        CompletableFuture<Void> ping = client.ping();
        edge.send(TcpCommand.PING, edge.take().seq(), new byte[0]);
        await(ping);
        client.close();
        await(client.closed());
    }
}
