package io.frontier.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Just enough of RESP, the Redis protocol, for fixtures to check that a server is up and to set it up: one
 * command per connection, replies that are one simple string, error, integer or bulk string.
 */
final class RedisProtocol {

    private static final int TIMEOUT_MS = 2_000;
    /** A server that is up answers PING at once; a longer wait only slows the polls of a starting one. */
    private static final int PING_TIMEOUT_MS = 250;

    private RedisProtocol() {
    }

    /** Returns whether a server on {@code port} answers PING with PONG now. */
    static boolean answersPing(int port) {
        try {
            return "PONG".equals(call(port, PING_TIMEOUT_MS, "PING"));
        } catch (UncheckedIOException | IllegalStateException e) {
            // Refused, or "LOADING": not up yet.
            return false;
        }
    }

    /**
     * Sends {@code args} as one command to {@code 127.0.0.1:port} and returns the reply as text.
     *
     * @throws IllegalStateException on an error reply or a reply of another kind
     * @throws UncheckedIOException if the server cannot be reached
     */
    static String call(int port, String... args) {
        return call(port, TIMEOUT_MS, args);
    }

    private static String call(int port, int timeoutMs, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Returns the path of {@code name} on the PATH or in {@code /usr/bin}, or throws with {@code missing}. */
    static String findExecutable(String name, String missing) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        Path fallback = Path.of("/usr/bin", name);
        if (Files.isExecutable(fallback)) {
            return fallback.toString();
        }
        throw new IllegalStateException(missing);
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeLine(out, "*" + args.length);
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            writeLine(out, "$" + bytes.length);
            out.writeBytes(bytes);
            writeLine(out, "");
        }
        return out.toByteArray();
    }

    private static void writeLine(ByteArrayOutputStream out, String line) {
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private static String read(InputStream in, String command) throws IOException {
        int kind = in.read();
        String line = readLine(in);
        switch (kind) {
            case '+', ':' -> {
                return line;
            }
            case '-' -> throw new IllegalStateException(command + ": " + line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                readLine(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case -1 -> throw new IOException(command + ": connection closed before a reply");
            default -> throw new IllegalStateException(command + ": unexpected reply " + (char) kind + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int next = in.read(); next != -1; next = in.read()) {
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
        throw new IOException("connection closed in the middle of a reply");
    }
}
