package io.frontier.edge.internal.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for tests that need what a polite client never
 * does: stay silent to pings, send malformed or oversized frames, read the raw HTTP
 * answer to a refused upgrade.
 */
public final class RawWsClient implements AutoCloseable {
    static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public final int httpStatus;
    public final String httpHead;

    private RawWsClient(Socket socket, int httpStatus, String httpHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.httpStatus = httpStatus;
        this.httpHead = httpHead;
    }

    /** Sends an upgrade request for {@code pathAndQuery} with extra header lines and reads the answer's head. */
    public static RawWsClient upgrade(InetSocketAddress server, String pathAndQuery, String... headers) throws IOException {
        Socket socket = new Socket();
        socket.connect(server, 5000);
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(new byte[16])).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        int status = Integer.parseInt(head.substring(9, 12));
        return new RawWsClient(socket, status, head);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the HTTP head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked frame, as clients must. */
    void send(int opcode, byte[] payload) throws IOException {
        send(opcode, payload, false);
    }

    /** Sends one masked frame; {@code compressed} sets RSV1, the permessage-deflate bit. */
    void send(int opcode, byte[] payload, boolean compressed) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(WsWire.frame(0x80 | (compressed ? 0x40 : 0) | opcode, payload, mask));
        out.flush();
    }

    /** Reads one frame from the server: its opcode and payload. */
    public Message read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Message(first & 0x0F, payload);
    }

    /** Returns whether the server closed the TCP connection (reads end of stream). */
    boolean serverClosed() throws IOException {
        try {
            while (true) {
                read();
            }
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            // A server that closes with bytes of ours still unread (the rest of an oversized
            // message) makes the kernel answer with a reset instead of a FIN: closed all the same.
            if ("Connection reset".equals(e.getMessage())) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Message(int opcode, byte[] payload) {
        /** Returns the status code of a close frame. */
        int closeStatus() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}
