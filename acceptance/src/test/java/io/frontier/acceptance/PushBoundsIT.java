package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every Push is answered within a bound the server keeps, even when the caller set no deadline. */
class PushBoundsIT {
    @Test
    void pushesWithoutDeadline_toADeviceThatStoppedReading_areAllAnswered() throws IOException {
        try (StandaloneGateway gateway = StandaloneGateway.start();
                Socket stalled = new Socket()) {
            // A device whose session broke: it said Hello, then reads nothing more, with a small receive window.
            // 9 MB of pushes overflow what the kernel buffers on loopback (tcp_wmem allows 4 MB).
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", gateway.tcpPort()), 5_000);
            byte[] hello = new Protobuf().string(1, gateway.token("pb-alice", "phone-1")).string(2, "phone-1").toBytes();
            byte[] frame = new byte[5 + hello.length];
            frame[0] = RawTcpDevice.HELLO;
            frame[2] = 1;
            frame[3] = (byte) (hello.length >>> 8);
            frame[4] = (byte) hello.length;
            System.arraycopy(hello, 0, frame, 5, hello.length);
            stalled.getOutputStream().write(frame);
            org.awaitility.Awaitility.await("pb-alice online").atMost(Duration.ofSeconds(20)).until(
                    () -> gateway.ctl("user", "--target", gateway.grpcTarget(), "pb-alice").exit() == 0);

            try (GrpcTool stream = GrpcTool.pushStream("pb-alice", 150, 20, 0, 60_000, gateway.grpcTarget())) {
                stream.awaitOutput("\"event\":\"done\"", Duration.ofSeconds(90));
                List<JsonObject> pushes = stream.events("push");
                assertThat(pushes).hasSize(150);
                for (JsonObject push : pushes) {
                    assertThat(push.get("code").getAsInt()).as("%s", push).isZero();
                    assertThat(push.get("outcomes").toString()).containsAnyOf("DELIVERED", "FAILED");
                    // the edge's own bound on a write that does not complete is 10 s
                    assertThat(push.get("ms").getAsLong()).as("%s", push).isLessThan(30_000);
                }
                assertThat(pushes.toString()).as("some pushes find the device not reading").contains("FAILED");
            }
            JsonObject ackWait = GrpcTool.push(gateway.grpcTarget(), "{\"user\":{\"user_id\":\"pb-alice\"},"
                    + "\"payload\":\"ack?\",\"wait_ack\":true,\"ack_timeout_ms\":1000}", 0, Duration.ofSeconds(60));
            assertThat(ackWait.get("outcomes").toString()).as("%s", ackWait).containsAnyOf("ACK_TIMEOUT", "FAILED");
        }
    }

    @Test
    void aPushPastTheMostInFlight_isResourceExhaustedAtOnce_andDoesNothing() throws Exception {
        try (StandaloneGateway gateway = StandaloneGateway.start("--max-pushes-in-flight", "1");
                RawTcpDevice device = RawTcpDevice.online(gateway.tcpPort(), gateway.token("if-alice", "phone-1"), "phone-1")) {
            String waitAck = "{\"user\":{\"user_id\":\"if-alice\"},\"payload\":\"first\",\"wait_ack\":true,"
                    + "\"ack_timeout_ms\":30000}";
            CompletableFuture<JsonObject> first = CompletableFuture.supplyAsync(
                    () -> GrpcTool.push(gateway.grpcTarget(), waitAck, 0, Duration.ofSeconds(60)));
            RawTcpDevice.Frame pushed = device.next();
            assertThat(pushed.cmd()).isEqualTo(RawTcpDevice.PUSH);

            JsonObject refused = GrpcTool.push(gateway.grpcTarget(),
                    "{\"user\":{\"user_id\":\"if-alice\"},\"payload\":\"second\"}", 0, Duration.ofSeconds(60));
            assertThat(refused.get("code").getAsInt()).as("%s", refused).isEqualTo(8);
            assertThat(refused.get("details").getAsString()).contains("1 calls at once");

            device.send(RawTcpDevice.ACK, pushed.seq(), new byte[0]);
            JsonObject answered = first.get(60, TimeUnit.SECONDS);
            assertThat(answered.get("outcomes").toString()).as("%s", answered).contains("ACKNOWLEDGED");
            JsonObject third = GrpcTool.push(gateway.grpcTarget(),
                    "{\"user\":{\"user_id\":\"if-alice\"},\"payload\":\"third\"}", 0, Duration.ofSeconds(60));
            assertThat(third.get("code").getAsInt()).as("%s", third).isZero();
            assertThat(device.next().text()).as("the refused push never reached the device").isEqualTo("third");
        }
    }
}
