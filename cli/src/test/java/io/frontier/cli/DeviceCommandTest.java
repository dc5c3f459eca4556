package io.frontier.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.cli.ScriptedEdge.Received;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceCommandTest {
    private static EventLoopGroup group;
    private ScriptedEdge edge;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stopEdge() throws Exception {
        if (edge != null) {
            edge.close();
        }
    }

    private static void welcome(Channel device, Received hello, int heartbeatSeconds) {
        byte[] ack = TcpHelloAck.newBuilder()
                .setConnId("c-1").setUserId("alice").setHeartbeatSeconds(heartbeatSeconds).build().toByteArray();
        device.writeAndFlush(TcpFrame.of(TcpCommand.HELLO, hello.seq(), ack));
    }

    private static void push(Channel device, int seq, String text) {
        device.writeAndFlush(TcpFrame.of(TcpCommand.PUSH, seq, text.getBytes(UTF_8)));
    }

    private static void bye(Channel device, int code, String reason) {
        device.writeAndFlush(TcpFrame.of(TcpCommand.BYE, 0,
                Bye.newBuilder().setCode(code).setReason(reason).build().toByteArray()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private Ctl device(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("device", "--target", edge.target(), "--token", "tok", "--device", "phone-1"));
        args.addAll(List.of(extra));
        return Ctl.run(args.toArray(String[]::new));
    }

    /** Returns the frames the device sent, up to its Bye, which may still be on its way when ctl returns. */
    private List<Received> framesUntilBye() throws InterruptedException {
        List<Received> frames = new ArrayList<>();
        Received frame;
        do {
            frame = edge.received.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("the device's frames up to its Bye, got %s", frames).isNotNull();
            frames.add(frame);
        } while (frame.cmd() != TcpCommand.BYE);
        return frames;
    }

    private List<Received> framesOf(int cmd) {
        return edge.received.stream().filter(f -> f.cmd() == cmd).toList();
    }

    @Test
    void device_printsAndAcksPushes_untilCount() throws Exception {
        edge = new ScriptedEdge(group, (device, frame) -> {
            if (frame.cmd() == TcpCommand.HELLO) {
                welcome(device, frame, 60);
                push(device, 1, "one");
                push(device, 2, "dos ✓");
            }
        });

        Ctl ctl = device("--count", "2");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).containsExactly("connected as alice conn c-1", "push seq=1: one", "push seq=2: dos ✓");
        List<Received> frames = framesUntilBye();
        assertThat(frames).extracting(Received::cmd)
                .containsExactly(TcpCommand.HELLO, TcpCommand.ACK, TcpCommand.ACK, TcpCommand.BYE);
        assertThat(TcpHello.parseFrom(frames.get(0).payload())).isEqualTo(TcpHello.newBuilder()
                .setToken("tok").setDeviceId("phone-1").setAppVersion("frontier-ctl").build());
        assertThat(frames.subList(1, 3)).extracting(Received::seq).containsExactly(1, 2);
        assertThat(Bye.parseFrom(frames.get(3).payload()).getCode()).isEqualTo(200);
    }

    @Test
    void device_pingsAtHalfTheHeartbeat() {
        // Heartbeat 2s: a ping after 1s, and only then the push that ends the run.
        edge = new ScriptedEdge(group, (device, frame) -> {
            if (frame.cmd() == TcpCommand.HELLO) {
                welcome(device, frame, 2);
            } else if (frame.cmd() == TcpCommand.PING) {
                device.writeAndFlush(TcpFrame.empty(TcpCommand.PING, frame.seq()));
                push(device, 1, "pong received");
            }
        });

        Ctl ctl = device("--count", "1");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).contains("push seq=1: pong received");
        assertThat(framesOf(TcpCommand.PING)).isNotEmpty();
    }

    @Test
    void device_refusedHello_printsTheByeAndExits1() {
        edge = new ScriptedEdge(group, (device, frame) -> bye(device, 401, "token expired"));

        Ctl ctl = device();

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err().strip()).isEqualTo("hello refused: bye 401: token expired");
    }

    @Test
    void device_closedByTheEdge_printsTheBye_andExits1UnlessItIs200() {
        edge = new ScriptedEdge(group, (device, frame) -> {
            if (frame.cmd() == TcpCommand.HELLO) {
                welcome(device, frame, 60);
                push(device, 7, "last words");
                bye(device, 410, "kicked");
            }
        });

        Ctl kicked = device();

        assertThat(kicked.exitCode()).as("%s", kicked).isEqualTo(1);
        assertThat(kicked.outLines()).containsExactly(
                "connected as alice conn c-1", "push seq=7: last words", "the edge said bye 410: kicked");
    }

    @Test
    void device_closedWithBye200_exits0() {
        edge = new ScriptedEdge(group, (device, frame) -> {
            if (frame.cmd() == TcpCommand.HELLO) {
                welcome(device, frame, 60);
                bye(device, 200, "");
            }
        });

        Ctl ctl = device();

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).containsExactly("connected as alice conn c-1", "the edge said bye 200");
    }

    @Test
    void device_toAnUnreachableEdge_exits3() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Ctl ctl = Ctl.run("device", "--target", "127.0.0.1:" + port, "--token", "t", "--device", "d");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(3);
        assertThat(ctl.err()).startsWith("device failed: cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void device_usageErrors_exit2() {
        assertThat(Ctl.run("device", "--token", "t").exitCode()).isEqualTo(2);
        Ctl zero = Ctl.run("device", "--token", "t", "--device", "d", "--count", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).startsWith("error: --count: 0 (expected: at least 1)");
    }
}
