package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.BYE;
import static io.frontier.acceptance.RawTcpDevice.HELLO;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gateways of the distribution with low per-source limits, devices of several loopback addresses
 * (127.0.0.x): what passes a limit gets Bye 429 at its Hello (TCP) or HTTP 429 to its upgrade
 * (WebSocket), with its reason, while devices of other addresses or users are served.
 */
class ConnectionLimitsIT {
    private static final int ATTEMPTS = 20;

    private StandaloneGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void thirdConnectionOfOneAddress_getsBye429_andOtherAddressesAreServed() throws UnknownHostException {
        gateway = StandaloneGateway.start("--max-connections-per-ip", "2");
        InetAddress crowded = InetAddress.getByName("127.0.0.1");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (RawTcpDevice first = online(crowded, "limit-a", "phone-1");
             RawTcpDevice second = online(crowded, "limit-a", "phone-2")) {
            try (RawTcpDevice third = RawTcpDevice.connectFrom(crowded, gateway.tcpPort())) {
                assertThat(refusal(third.hello(gateway.token("limit-a", "phone-3"), "phone-3")))
                        .isEqualTo("address holds its maximum of 2 connections");
                third.expectClosed();
            }
            online(other, "limit-b", "phone-4").close();

            first.close();

            // The gateway counts the closed connection out once it sees the close: retry until it has.
            awaitOnline(crowded);
        }
    }

    @Test
    void connectsOfOneAddressPastItsRate_getBye429AndHttp429_andOtherAddressesAreServed() throws UnknownHostException {
        gateway = StandaloneGateway.start("--connect-rate-per-ip", "1", "--connect-burst-per-ip", "3");
        InetAddress hasty = InetAddress.getByName("127.0.0.3");

        // One connect a second refills the burst: connecting as fast as this test can, it runs out within a few.
        String reason = refusedWithin(ATTEMPTS, () -> hello(hasty, "rate-a", "phone-1"));
        assertThat(reason).isEqualTo("address connects more often than 1 per second");
        String status = refusedWithin(ATTEMPTS, () -> upgrade(hasty, gateway.token("rate-a", "ws-1"), "ws-1"));
        assertThat(status).startsWith("HTTP/1.1 429");

        online(InetAddress.getByName("127.0.0.4"), "rate-b", "phone-2").close();
    }

    @Test
    void aUserAtItsMaximum_getsBye429AndHttp429ForAnotherDevice_whileADevicesReconnectReplacesIt() {
        gateway = StandaloneGateway.start("--max-connections-per-user", "2");
        try (RawTcpDevice phone = RawTcpDevice.online(gateway.tcpPort(), gateway.token("user-a", "phone-1"), "phone-1");
             RawTcpDevice tablet = RawTcpDevice.online(gateway.tcpPort(), gateway.token("user-a", "tablet-1"), "tablet-1")) {
            try (RawTcpDevice watch = RawTcpDevice.connect(gateway.tcpPort())) {
                assertThat(refusal(watch.hello(gateway.token("user-a", "watch-1"), "watch-1")))
                        .isEqualTo("user holds its maximum of 2 connections");
                watch.expectClosed();
            }
            assertThat(upgrade(null, gateway.token("user-a", "browser-1"), "browser-1")).startsWith("HTTP/1.1 429");

            try (RawTcpDevice phoneAgain = RawTcpDevice.online(gateway.tcpPort(), gateway.token("user-a", "phone-1"),
                    "phone-1")) {
                assertThat(phone.expectByeAndClose(409)).isEqualTo("replaced by a newer connection of the device");
            }
            RawTcpDevice.online(gateway.tcpPort(), gateway.token("user-b", "phone-1"), "phone-1").close();
        }
    }

    @Test
    void anAddressThatKeepsFailingAuthentication_getsBye429AndHttp429_andOtherAddressesAreServed()
            throws UnknownHostException {
        gateway = StandaloneGateway.start("--auth-failures-per-ip", "2");
        InetAddress guesser = InetAddress.getByName("127.0.0.5");
        for (int i = 0; i < 2; i++) {
            try (RawTcpDevice device = RawTcpDevice.connectFrom(guesser, gateway.tcpPort())) {
                assertThat(device.hello("not-a-token", "phone-1").byeCode()).isEqualTo(401);
                device.expectClosed();
            }
        }

        try (RawTcpDevice device = RawTcpDevice.connectFrom(guesser, gateway.tcpPort())) {
            assertThat(refusal(device.hello(gateway.token("ban-a", "phone-1"), "phone-1")))
                    .isEqualTo("address failed authentication 2 times within 60 s: refused for 60 s");
            device.expectClosed();
        }
        assertThat(upgrade(guesser, gateway.token("ban-a", "ws-1"), "ws-1")).startsWith("HTTP/1.1 429");
        online(InetAddress.getByName("127.0.0.6"), "ban-b", "phone-2").close();
    }

    private RawTcpDevice online(InetAddress source, String user, String device) {
        RawTcpDevice d = RawTcpDevice.connectFrom(source, gateway.tcpPort());
        assertThat(d.hello(gateway.token(user, device), device).cmd()).as("Hello of %s", device).isEqualTo(HELLO);
        return d;
    }

    /** Connects from {@code source} and says Hello; returns null when it succeeds, else the Bye's reason. */
    private String hello(InetAddress source, String user, String device) {
        try (RawTcpDevice d = RawTcpDevice.connectFrom(source, gateway.tcpPort())) {
            RawTcpDevice.Frame reply = d.hello(gateway.token(user, device), device);
            return reply.cmd() == HELLO ? null : refusal(reply);
        }
    }

    /** Returns the reason of {@code reply}, which must be Bye 429. */
    private static String refusal(RawTcpDevice.Frame reply) {
        assertThat(reply.cmd()).as("the answer to Hello").isEqualTo(BYE);
        assertThat(reply.byeCode()).as("refused with").isEqualTo(429);
        return Protobuf.string(reply.fields(), 2);
    }

    /**
     * Asks for a WebSocket upgrade from {@code source} (any when null); returns the answer's status line, or null
     * when it is 101.
     */
    private String upgrade(InetAddress source, String token, String device) {
        try (Socket socket = new Socket()) {
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.wsPort()), 5_000);
            socket.setSoTimeout((int) RawTcpDevice.WAIT.toMillis());
            String request = String.join("\r\n", "GET /ws?device_id=" + device + " HTTP/1.1",
                    "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Authorization: Bearer " + token, "", "");
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().startsWith("HTTP/1.1 101") ? null : line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("upgrade from " + source, e);
        }
    }

    /** Runs {@code attempt} until it is refused (returns what refused it), at most {@code attempts} times. */
    /**
     * A flood of connects that never say Hello, from one address past its rate, on a 256 MB heap with a Hello
     * deadline far beyond the test: the edge holds at most 1,024 refused connections waiting to be told why and
     * closes the others at once, and a device of another address still gets its push.
     */
    @Test
    void aConnectFloodPastTheRate_holdsAtMost1024RefusedSockets_andAHealthyDeviceIsServed() throws Exception {
        gateway = StandaloneGateway.start(Map.of("FRONTIER_JAVA_OPTS", "-Xmx256m"),
                "--connect-rate-per-ip", "1", "--connect-burst-per-ip", "1", "--hello-timeout", "5m");
        InetAddress flooder = InetAddress.getByName("127.0.0.41");
        List<Socket> sockets = new ArrayList<>();
        try (RawTcpDevice healthy = RawTcpDevice.online(gateway.tcpPort(), gateway.token("flood-healthy", "phone-h"),
                "phone-h").autoAck()) {
            int flood = 3_000;
            for (int i = 0; i < flood; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(flooder, 0));
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.tcpPort()), 5_000);
                sockets.add(socket);
            }
            // At most one admitted (the burst) plus a few by the rate, and 1,024 refused and held: the rest end.
            List<Socket> open = new ArrayList<>(sockets);
            int[] closed = {0};
            Awaitility.await("refused connections past the 1,024 held are closed")
                    .atMost(RawTcpDevice.WAIT).until(() -> (closed[0] += closedByServer(open)) >= flood - 1_024 - 60);
            Ctl.Result push = gateway.ctl("push", "--target", gateway.grpcTarget(), "--user", "flood-healthy",
                    "--text", "after the connect flood", "--wait-ack");
            assertThat(push.exit()).as("%s", push).isZero();
            assertThat(healthy.pushes()).contains("after the connect flood");
            assertThat(gateway.node().output()).doesNotContain("OutOfMemoryError");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * Takes out of {@code open} the sockets whose server end closed (a read that returns the end of the stream
     * or fails) and returns how many.
     */
    private static int closedByServer(List<Socket> open) throws IOException {
        int before = open.size();
        Iterator<Socket> sockets = open.iterator();
        while (sockets.hasNext()) {
            Socket socket = sockets.next();
            socket.setSoTimeout(1);
            try {
                if (socket.getInputStream().read() < 0) {
                    sockets.remove();
                }
            } catch (SocketTimeoutException e) {
                // Still open.
            } catch (IOException e) {
                sockets.remove();
            }
        }
        return before - open.size();
    }

    private static String refusedWithin(int attempts, Supplier<String> attempt) {
        for (int i = 0; i < attempts; i++) {
            String refused = attempt.get();
            if (refused != null) {
                return refused;
            }
        }
        throw new AssertionError("not refused within " + attempts + " attempts");
    }

    /** Connects from {@code source} until a Hello succeeds, within {@link RawTcpDevice#WAIT}. */
    private void awaitOnline(InetAddress source) {
        long deadline = System.nanoTime() + RawTcpDevice.WAIT.toNanos();
        while (hello(source, "limit-a", "phone-5") != null) {
            assertThat(System.nanoTime()).as("the address's place back within %s", RawTcpDevice.WAIT)
                    .isLessThan(deadline);
        }
    }
}
