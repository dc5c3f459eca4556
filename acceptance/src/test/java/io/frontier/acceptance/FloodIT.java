package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No client can exhaust a small-heap gateway: a gateway of the distribution with a 256 MB heap is flooded by
 * clients that write frames whose replies they never read (TCP Pings before and after Hello, WebSocket pings),
 * and each flooder must be cut off with Bye 429 (rate limited) and closed, while a healthy TCP device on the same
 * gateway still gets a push and acknowledges it, and the gateway neither dies nor runs out of memory.
 *
 * <p>The flooders are raw sockets written from PROTOCOL.md alone: a small receive buffer, a writer thread that
 * writes the whole flood without the socket being read (the server closing the connection makes the write fail,
 * which is what a cut-off looks like from here), then a drain of what the server sent, within a deadline.
 *
 * <p>The floods are sized to get past the kernel: on loopback a connection's socket buffers take about 4 MB of
 * replies the client does not read, so a flood whose replies fit there (400,000 TCP Pings: 2 MB of replies; empty
 * WebSocket pings: 2-byte pongs) costs the gateway's heap nothing. 2,000,000 TCP Pings leave about 6 MB of replies
 * (over a million frames) to the gateway per connection, and three of them exhaust a 256 MB heap that queues
 * replies without bound; WebSocket pings carry the largest payload a control frame may (125 bytes), which every
 * pong echoes.
 *
 * <p>The gateway's hello timeout is set far beyond the test, so that a Bye 408 to the flooders before Hello (whose
 * reset may make it unreadable) cannot pass for their cut-off.
 */
class FloodIT {
    private static final Map<String, String> SMALL_HEAP = Map.of("FRONTIER_JAVA_OPTS", "-Xmx256m");
    private static final int TCP_PINGS = 2_000_000;
    private static final int WS_PINGS = 200_000;
    private static final int WS_PING_PAYLOAD = 125;
    /** How long a flood's writes may take: 10 or 26 MB over loopback, unless the gateway stops reading. */
    private static final Duration WRITE = Duration.ofSeconds(30);
    /** How long the server has, once the flood's writes ended (or {@link #WRITE} passed), to be seen closing. */
    private static final Duration CUT_OFF = Duration.ofSeconds(30);
    /**
     * The flooders' receive buffer: small next to the megabytes of replies a flood asks for, yet with room for a
     * cut-off's Bye after the replies the server sent before it (with 4 KB, the kernel's accounting of small packets
     * leaves no room, and the server's reset then drops the Bye).
     */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final String HEALTHY_USER = "flood-healthy";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private StandaloneGateway gateway;
    private RawTcpDevice healthy;

    @BeforeEach
    void start() {
        // a hello timeout far beyond the test: the flooders before Hello must be cut off as flooders, not as late
        gateway = StandaloneGateway.start(SMALL_HEAP, "--hello-timeout", "5m");
        opened.add(gateway);
        healthy = RawTcpDevice.online(gateway.tcpPort(), gateway.token(HEALTHY_USER, "phone-h"), "phone-h").autoAck();
        opened.add(0, healthy);
    }

    /** Closes the flooders, then the healthy device, then the gateway (SIGTERM, SIGKILL after 20 s). */
    @AfterEach
    void close() {
        for (AutoCloseable closeable : opened) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing: the rest still must be closed
            }
        }
    }

    @Test
    void threeSocketsPingingBeforeHello_withoutReading_areCutOffWithBye429_andAHealthyDeviceIsStillServed() {
        List<Flooder> flooders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Flooder flooder = Flooder.connect("tcp socket " + (i + 1) + " of 3 (no Hello)", gateway.tcpPort());
            opened.add(0, flooder);
            flooders.add(flooder);
        }
        flooders.forEach(f -> f.flood(TCP_PINGS, FloodIT::tcpPings));
        List<Drained> drained = drainAll(flooders, FloodIT::drainTcp);

        SoftAssertions soft = new SoftAssertions();
        drained.forEach(d -> assertCutOffWith429(soft, d));
        assertGatewayServesTheHealthyDevice(soft, "after three Ping floods before Hello");
        soft.assertAll();
    }

    @Test
    void onlineDevicePingingWithoutReading_isCutOffWithBye429_andAHealthyDeviceIsStillServed() {
        Flooder flooder = Flooder.connect("online tcp device", gateway.tcpPort());
        opened.add(0, flooder);
        byte[] hello = new Protobuf().string(1, gateway.token("flood-online", "phone-f")).string(2, "phone-f")
                .string(3, "acceptance/1").toBytes();
        flooder.write(RawTcpDevice.frame(RawTcpDevice.HELLO, 1, hello));
        TcpFrame reply = flooder.tcpFrame();
        assertThat(reply.cmd()).as("the answer to its Hello, %s", reply).isEqualTo(RawTcpDevice.HELLO);

        flooder.flood(TCP_PINGS, FloodIT::tcpPings);
        Drained drained = drainAll(List.of(flooder), FloodIT::drainTcp).get(0);

        SoftAssertions soft = new SoftAssertions();
        assertCutOffWith429(soft, drained);
        assertGatewayServesTheHealthyDevice(soft, "after a Ping flood of an online device");
        soft.assertAll();
    }

    @Test
    void webSocketPingingWithoutReadingThePongs_isCutOffWithBye429_andAHealthyDeviceIsStillServed() {
        Flooder flooder = Flooder.connect("websocket device", gateway.wsPort());
        opened.add(0, flooder);
        JsonObject hello = flooder.upgrade(gateway.token("flood-ws", "ws-f"), "ws-f");
        assertThat(hello.get("method").getAsInt()).as("the first message, %s", hello).isEqualTo(4);

        flooder.flood(WS_PINGS, FloodIT::wsPings);
        Drained drained = drainAll(List.of(flooder), FloodIT::drainWs).get(0);

        SoftAssertions soft = new SoftAssertions();
        assertCutOffWith429(soft, drained);
        assertGatewayServesTheHealthyDevice(soft, "after a WebSocket ping flood");
        soft.assertAll();
    }

    /** The server closed the flooder, and a Bye it sent says 429; a clean end of the stream must follow a Bye 429. */
    private static void assertCutOffWith429(SoftAssertions soft, Drained d) {
        soft.assertThat(d.end()).as("%s: closed by the server within %d s of its flood", d, CUT_OFF.toSeconds())
                .isNotEqualTo(End.OPEN);
        soft.assertThat(d.byeCodes()).as("%s: the codes of its Byes", d).allMatch(code -> code == 429, "429");
        if (d.end() != End.RESET) {
            soft.assertThat(d.byeCodes()).as("%s: a Bye 429 before the close", d).contains(429);
        }
        soft.assertThat(d.unexpected()).as("%s: frames other than replies and Bye", d).isEmpty();
    }

    /** The gateway runs, logged no OutOfMemoryError, and a push to the healthy device is acknowledged. */
    private void assertGatewayServesTheHealthyDevice(SoftAssertions soft, String when) {
        String text = "still there? " + when;
        Ctl.Result push = gateway.ctl("push", "--target", gateway.grpcTarget(), "--user", HEALTHY_USER,
                "--text", text, "--wait-ack");
        soft.assertThat(push.exit()).as("ctl push --wait-ack to the healthy device %s: %s", when, push).isZero();
        soft.assertThat(push.out()).as("ctl push --wait-ack to the healthy device %s", when)
                .containsPattern(HEALTHY_USER + "\\s+phone-h\\s+tcp\\s+[0-9a-f]{28}\\s+acknowledged");
        soft.assertThat(healthy.pushes()).as("what the healthy device received %s", when).contains(text);
        soft.assertThat(gateway.node().isAlive()).as("the gateway process is alive %s", when).isTrue();
        soft.assertThat(gateway.node().output()).as("the gateway's log %s", when)
                .doesNotContain("OutOfMemoryError");
    }

    /** Waits (bounded) for every flood to be written, then drains every flooder at once within {@link #CUT_OFF}. */
    private static List<Drained> drainAll(List<Flooder> flooders, Drain drain) {
        long writeDeadline = System.nanoTime() + WRITE.toNanos();
        for (Flooder flooder : flooders) {
            flooder.awaitWritten(writeDeadline);
        }
        long deadline = System.nanoTime() + CUT_OFF.toNanos();
        // a thread each: the drains share one deadline
        ExecutorService threads = Executors.newFixedThreadPool(flooders.size());
        try {
            List<CompletableFuture<Drained>> drains = flooders.stream()
                    .map(f -> CompletableFuture.supplyAsync(() -> drain.drain(f, deadline), threads)).toList();
            return drains.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Drain {
        Drained drain(Flooder flooder, long deadline);
    }

    /** How a drained connection ended: the server's FIN, a reset, or not at all before the deadline. */
    enum End { EOF, RESET, OPEN }

    /** What a flooder found once it read: replies to its flood, the codes of Byes, anything else, and the end. */
    record Drained(String name, String flood, int replies, List<Integer> byeCodes, List<String> unexpected, End end,
            String detail) {
        @Override
        public String toString() {
            return name + " [" + flood + "; then read " + replies + " replies, Bye codes " + byeCodes
                    + (unexpected.isEmpty() ? "" : ", other frames " + unexpected) + "; the connection "
                    + switch (end) {
                        case EOF -> "was closed by the server";
                        case RESET -> "was reset (" + detail + ")";
                        case OPEN -> "was still open after " + CUT_OFF.toSeconds() + " s";
                    } + "]";
        }
    }

    private static Drained drainTcp(Flooder flooder, long deadline) {
        int replies = 0;
        List<Integer> byes = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        try {
            while (true) {
                TcpFrame frame = flooder.reader.tcpFrame(deadline);
                if (frame.cmd() == RawTcpDevice.PING && frame.payload().length == 0) {
                    replies++;
                } else if (frame.cmd() == RawTcpDevice.BYE) {
                    byes.add((int) Protobuf.number(Protobuf.parse(frame.payload()), 1));
                } else if (unexpected.size() < 10) {
                    unexpected.add(frame.toString());
                }
            }
        } catch (Ended ended) {
            return flooder.drained(replies, byes, unexpected, ended);
        }
    }

    private static Drained drainWs(Flooder flooder, long deadline) {
        int pongs = 0;
        List<Integer> byes = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        try {
            while (true) {
                WsFrame frame = flooder.reader.wsFrame(deadline);
                switch (frame.opcode()) {
                    case 0xA -> pongs++;
                    case 0x1 -> {
                        JsonObject message = JsonParser.parseString(frame.text()).getAsJsonObject();
                        if (message.has("method") && message.get("method").getAsInt() == 5) {
                            byes.add(Integer.parseInt(header(message, "code")));
                        } else if (unexpected.size() < 10) {
                            unexpected.add(frame.text());
                        }
                    }
                    case 0x8 -> {
                        // the server's close: the end of what it sends
                        int code = frame.payload().length >= 2
                                ? (frame.payload()[0] & 0xFF) << 8 | frame.payload()[1] & 0xFF : 1005;
                        throw new Ended(End.EOF, "WebSocket close " + code);
                    }
                    default -> {
                        if (unexpected.size() < 10) {
                            unexpected.add("opcode " + frame.opcode() + " of " + frame.payload().length + " bytes");
                        }
                    }
                }
            }
        } catch (Ended ended) {
            return flooder.drained(pongs, byes, unexpected, ended);
        }
    }

    private static String header(JsonObject frame, String key) {
        if (frame.has("headers")) {
            for (JsonElement entry : frame.getAsJsonArray("headers")) {
                JsonObject e = entry.getAsJsonObject();
                if (e.get("key").getAsString().equals(key)) {
                    return e.get("value").getAsString();
                }
            }
        }
        return "0";
    }

    /** {@code count} TCP Ping frames (cmd 0x02, empty payload), seq 1..65535 over and over. */
    private static byte[] tcpPings(int count) {
        byte[] bytes = new byte[5 * count];
        for (int i = 0; i < count; i++) {
            int seq = i % 65535 + 1;
            bytes[5 * i] = RawTcpDevice.PING;
            bytes[5 * i + 1] = (byte) (seq >>> 8);
            bytes[5 * i + 2] = (byte) seq;
        }
        return bytes;
    }

    /**
     * {@code count} WebSocket ping control frames of a client (RFC 6455 5.2, 5.5.2): FIN, opcode 9, masked, with
     * {@link #WS_PING_PAYLOAD} bytes of payload.
     */
    private static byte[] wsPings(int count) {
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        byte[] ping = new byte[6 + WS_PING_PAYLOAD];
        ping[0] = (byte) 0x89;
        ping[1] = (byte) (0x80 | WS_PING_PAYLOAD);
        System.arraycopy(mask, 0, ping, 2, 4);
        for (int i = 0; i < WS_PING_PAYLOAD; i++) {
            ping[6 + i] = (byte) ('p' ^ mask[i % 4]);
        }
        byte[] bytes = new byte[ping.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(ping, 0, bytes, ping.length * i, ping.length);
        }
        return bytes;
    }

    record TcpFrame(int cmd, int seq, byte[] payload) {
        @Override
        public String toString() {
            return String.format("cmd 0x%02x seq %d len %d", cmd, seq, payload.length);
        }
    }

    record WsFrame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The end of a drain. */
    private static final class Ended extends Exception {
        final End end;

        Ended(End end, String detail) {
            super(detail, null, false, false);
            this.end = end;
        }
    }

    /** Reads frames off a socket with every read bounded by a deadline; nothing is read until asked. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        Reader(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        TcpFrame tcpFrame(long deadline) throws Ended {
            ensure(5, deadline);
            int cmd = buffer[start] & 0xFF;
            int seq = u16(start + 1);
            int length = u16(start + 3);
            ensure(5 + length, deadline);
            byte[] payload = Arrays.copyOfRange(buffer, start + 5, start + 5 + length);
            start += 5 + length;
            return new TcpFrame(cmd, seq, payload);
        }

        /** One frame of the server (unmasked); a fragmented message comes as its frames (opcode 0 after the first). */
        WsFrame wsFrame(long deadline) throws Ended {
            ensure(2, deadline);
            int opcode = buffer[start] & 0x0F;
            int length = buffer[start + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                ensure(4, deadline);
                length = u16(start + 2);
                header = 4;
            } else if (length == 127) {
                ensure(10, deadline);
                long big = 0;
                for (int i = 0; i < 8; i++) {
                    big = big << 8 | buffer[start + 2 + i] & 0xFF;
                }
                if (big > 16 * 1024 * 1024) {
                    throw new Ended(End.OPEN, "a WebSocket frame of " + big + " bytes: not reading it");
                }
                length = (int) big;
                header = 10;
            }
            ensure(header + length, deadline);
            byte[] payload = Arrays.copyOfRange(buffer, start + header, start + header + length);
            start += header + length;
            return new WsFrame(opcode, payload);
        }

        /** Reads up to the end of the HTTP response head and returns it. */
        String httpHead(long deadline) throws Ended {
            for (int scanned = 0; ; ) {
                for (; start + scanned + 3 < end; scanned++) {
                    if (buffer[start + scanned] == '\r' && buffer[start + scanned + 1] == '\n'
                            && buffer[start + scanned + 2] == '\r' && buffer[start + scanned + 3] == '\n') {
                        String head = new String(buffer, start, scanned, StandardCharsets.ISO_8859_1);
                        start += scanned + 4;
                        return head;
                    }
                }
                ensure(end - start + 1, deadline);
            }
        }

        private int u16(int at) {
            return (buffer[at] & 0xFF) << 8 | buffer[at + 1] & 0xFF;
        }

        /** Makes {@code n} bytes readable at {@code start}, or ends: EOF, reset, or the deadline (still open). */
        private void ensure(int n, long deadline) throws Ended {
            if (end - start >= n) {
                return;
            }
            if (buffer.length - start < n) {
                byte[] bigger = new byte[Math.max(buffer.length, 2 * n)];
                System.arraycopy(buffer, start, bigger, 0, end - start);
                buffer = bigger;
                end -= start;
                start = 0;
            } else if (buffer.length - end < n - (end - start)) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            while (end - start < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new Ended(End.OPEN, "deadline");
                }
                int read;
                try {
                    socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                    read = in.read(buffer, end, buffer.length - end);
                } catch (SocketTimeoutException timeout) {
                    continue;
                } catch (SocketException e) {
                    throw new Ended(End.RESET, String.valueOf(e.getMessage()));
                } catch (IOException e) {
                    throw new Ended(End.RESET, e.toString());
                }
                if (read < 0) {
                    throw new Ended(End.EOF, "end of stream" + (end > start ? " within a frame" : ""));
                }
                end += read;
            }
        }
    }

    /**
     * A raw client socket with a small receive buffer that writes a flood from a thread of its own and reads
     * nothing while it does.
     */
    private static final class Flooder implements AutoCloseable {
        final String name;
        final Socket socket;
        final Reader reader;
        private final OutputStream out;
        private Thread writer;
        private volatile int frames;
        private volatile long total;
        private volatile long written;
        private volatile IOException writeError;
        private volatile String writeState = "not started";

        private Flooder(String name, Socket socket) throws IOException {
            this.name = name;
            this.socket = socket;
            this.reader = new Reader(socket);
            this.out = socket.getOutputStream();
        }

        static Flooder connect(String name, int port) {
            Socket socket = new Socket();
            try {
                socket.setReceiveBufferSize(RECEIVE_BUFFER);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                return new Flooder(name, socket);
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
                throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
            }
        }

        void write(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": cannot write", e);
            }
        }

        /** The next TCP frame from the server, within {@link RawTcpDevice#WAIT}. */
        TcpFrame tcpFrame() {
            try {
                return reader.tcpFrame(System.nanoTime() + RawTcpDevice.WAIT.toNanos());
            } catch (Ended ended) {
                throw new AssertionError(name + ": no frame from the server: " + ended.end + " " + ended.getMessage());
            }
        }

        /** Upgrades to WebSocket (frontier.json) with a bearer token; returns the server's first message. */
        JsonObject upgrade(String token, String device) {
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            write(("GET /ws?device_id=" + device + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + socket.getPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: frontier.json\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long deadline = System.nanoTime() + RawTcpDevice.WAIT.toNanos();
            try {
                String head = reader.httpHead(deadline);
                assertThat(head).as("the answer to the upgrade").startsWith("HTTP/1.1 101")
                        .containsIgnoringCase("Sec-WebSocket-Protocol: frontier.json");
                WsFrame hello = reader.wsFrame(deadline);
                assertThat(hello.opcode()).as("the opcode of the first message").isEqualTo(1);
                return JsonParser.parseString(hello.text()).getAsJsonObject();
            } catch (Ended ended) {
                throw new AssertionError(name + ": no upgrade and HELLO: " + ended.end + " " + ended.getMessage());
            }
        }

        /** Starts writing {@code count} frames made by {@code frames} from a thread; nothing reads meanwhile. */
        void flood(int count, IntFunction<byte[]> frames) {
            this.frames = count;
            byte[] bytes = frames.apply(count);
            this.total = bytes.length;
            writeState = "writing";
            writer = new Thread(() -> {
                try {
                    for (int at = 0; at < bytes.length; at += 64 * 1024) {
                        int length = Math.min(64 * 1024, bytes.length - at);
                        out.write(bytes, at, length);
                        written += length;
                    }
                    out.flush();
                    writeState = "written";
                } catch (IOException e) {
                    // what a cut-off looks like to the writer
                    writeError = e;
                    writeState = "write failed";
                }
            }, "flood-" + socket.getLocalPort());
            writer.setDaemon(true);
            writer.start();
        }

        /** Waits for the writer to end, until {@code deadline}; a writer still blocked then is part of the story. */
        void awaitWritten(long deadline) {
            try {
                writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                writeState = "still blocked in a write after " + WRITE.toSeconds() + " s";
            }
        }

        /**
         * What a drain found. An end of the stream after the flood's write failed is a reset: the server reset the
         * connection (it closed it with the flood unread), the failed write took the reset's error, and what the
         * server sent last (its Bye) may have been lost with it.
         */
        Drained drained(int replies, List<Integer> byeCodes, List<String> unexpected, Ended ended) {
            IOException failed = writeError;
            if (ended.end == End.EOF && ended.getMessage().startsWith("end of stream") && failed != null) {
                return new Drained(name, describeFlood(), replies, byeCodes, unexpected, End.RESET,
                        "the flood's write failed with '" + failed.getMessage() + "', then a read found the end");
            }
            return new Drained(name, describeFlood(), replies, byeCodes, unexpected, ended.end, ended.getMessage());
        }

        String describeFlood() {
            return "flood of " + frames + " frames: " + writeState + " after " + written + " of " + total + " bytes"
                    + (writeError == null ? "" : " (" + writeError.getMessage() + ")");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
