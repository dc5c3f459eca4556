package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A feature phone on a raw socket, speaking PROTOCOL.md section 1 from its text alone: 5-byte
 * headers ({@code cmd}, {@code seq} u16, {@code len} u16, big-endian) and hand-encoded protobuf.
 * A reader thread queues what the server sends; with {@link #autoAck()} it also acks every Push
 * and keeps its payload.
 */
final class RawTcpDevice implements AutoCloseable {
    static final int NULL = 0x00;
    static final int HELLO = 0x01;
    static final int PING = 0x02;
    static final int ACK = 0x03;
    static final int HELLO_X = 0x07;
    static final int PUSH = 0x08;
    static final int DATA = 0x0A;
    static final int PROXY = 0x0E;
    static final int BYE = 0x0F;
    static final Duration WAIT = Duration.ofSeconds(30);

    /** One frame from the server; {@code cmd} -1 is the end of the stream. */
    record Frame(int cmd, int seq, byte[] payload) {
        Map<Integer, Object> fields() {
            return Protobuf.parse(payload);
        }

        /** The Bye code of a Bye frame (0 for an empty payload). */
        int byeCode() {
            return (int) Protobuf.number(fields(), 1);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return cmd < 0 ? "(end of stream)" : String.format("cmd 0x%02x seq %d len %d", cmd, seq, payload.length);
        }
    }

    private static final Frame END = new Frame(-1, 0, new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<String> pushes = new CopyOnWriteArrayList<>();
    private volatile boolean autoAck;

    private RawTcpDevice(InetAddress source, int port) throws IOException {
        this(plain(source, port));
    }

    private RawTcpDevice(Socket connected) throws IOException {
        socket = connected;
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "raw-tcp-device-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    private static Socket plain(InetAddress source, int port) throws IOException {
        Socket socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /**
     * Connects over TLS, trusting only the CA certificate in {@code caPem}, and finishes the handshake
     * (the JDK's TLS client, checking that the server's certificate names 127.0.0.1).
     */
    static RawTcpDevice connectTls(int port, Path caPem) {
        try {
            SSLSocket socket = (SSLSocket) Tls.trusting(caPem).getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new RawTcpDevice(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect over TLS to 127.0.0.1:" + port, e);
        }
    }

    /** Returns the certificate the server presented, when the connection is over TLS. */
    X509Certificate serverCertificate() throws IOException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    static RawTcpDevice connect(int port) {
        return connectFrom(null, port);
    }

    /** Connects from the local address {@code source} (any when null), as a device of another IP address. */
    static RawTcpDevice connectFrom(InetAddress source, int port) {
        try {
            return new RawTcpDevice(source, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** Connects and says Hello; fails unless the server answers with its Hello. Returns the TcpHelloAck's fields. */
    static RawTcpDevice online(int port, String token, String device) {
        RawTcpDevice d = connect(port);
        Frame reply = d.hello(token, device);
        if (reply.cmd() != HELLO) {
            fail("Hello of " + device + " got " + reply + (reply.cmd() == BYE ? " code " + reply.byeCode() : ""));
        }
        return d;
    }

    /** Sends Hello (seq 1) and returns the server's answer. */
    Frame hello(String token, String device) {
        send(HELLO, 1, new Protobuf().string(1, token).string(2, device).string(3, "acceptance/1").toBytes());
        return next();
    }

    /** Sends Data to {@code service} and returns the reply frame. */
    Frame data(int seq, int service, String payload) {
        send(DATA, seq, new Protobuf().int32(1, service).string(2, payload).toBytes());
        return next();
    }

    void send(int cmd, int seq, byte[] payload) {
        sendRaw(frame(cmd, seq, payload));
    }

    /** Returns the bytes of one frame: cmd, seq (u16), length (u16), payload. */
    static byte[] frame(int cmd, int seq, byte[] payload) {
        byte[] frame = new byte[5 + payload.length];
        frame[0] = (byte) cmd;
        frame[1] = (byte) (seq >>> 8);
        frame[2] = (byte) seq;
        frame[3] = (byte) (payload.length >>> 8);
        frame[4] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 5, payload.length);
        return frame;
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Acks every Push from now on and keeps its payload (see {@link #pushes()}). */
    RawTcpDevice autoAck() {
        autoAck = true;
        return this;
    }

    /** The payloads of the Pushes received, in order. */
    List<String> pushes() {
        return pushes;
    }

    /** Returns the next frame from the server within {@link #WAIT}, or fails. */
    Frame next() {
        return next(WAIT);
    }

    Frame next(Duration timeout) {
        try {
            Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("no frame from the server within " + timeout.toMillis() + " ms");
            }
            if (frame == END) {
                frames.add(END);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Expects a Bye with {@code code}, then the end of the stream; returns the Bye's reason. */
    String expectByeAndClose(int code) {
        Frame bye = next();
        if (bye.cmd() != BYE || bye.byeCode() != code) {
            fail("expected Bye " + code + ", got " + bye + (bye.cmd() == BYE ? " code " + bye.byeCode() : ""));
        }
        expectClosed();
        return Protobuf.string(bye.fields(), 2);
    }

    /** Expects the server to close the connection (skipping nothing: the next frame must be the end). */
    void expectClosed() {
        Frame end = next();
        if (end != END) {
            fail("expected the connection to close, got " + end);
        }
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int cmd = in.readUnsignedByte();
                int seq = in.readUnsignedShort();
                byte[] payload = new byte[in.readUnsignedShort()];
                in.readFully(payload);
                Frame frame = new Frame(cmd, seq, payload);
                if (autoAck && cmd == PUSH) {
                    pushes.add(frame.text());
                    send(ACK, seq, new byte[0]);
                } else {
                    frames.add(frame);
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            // the end of the stream
        } catch (IOException | UncheckedIOException e) {
            // a reset: the end as well
        } finally {
            frames.add(END);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
