package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A smartphone on WebSocket: {@code src/test/node/ws-device.mjs} (Node's {@code ws} and {@code protobufjs},
 * with {@code Frame} described by hand from PROTOCOL.md) as a child process. Commands go to its stdin as
 * JSON lines; its events (open, http-error, hello, push, reply, bye, pong, close, ...) come back as JSON
 * lines on stdout and wait in a queue for {@link #next()} and {@link #await(String)}.
 */
final class WsDevice implements AutoCloseable {
    static final String PB = "frontier.pb";
    static final String JSON = "frontier.json";
    static final String NONE = "none";
    static final Duration WAIT = Duration.ofSeconds(30);

    private final NodeScript script;

    private WsDevice(NodeScript script) {
        this.script = script;
    }

    /** A device of the gateway's WebSocket listener on {@code port}, configured before {@link Builder#start()}. */
    static Builder to(int port) {
        return new Builder(port);
    }

    static final class Builder {
        private final int port;
        private String token;
        private boolean tokenInQuery;
        private String deviceId;
        private String subprotocol = NONE;
        private String origin;
        private boolean autoAck;
        private java.nio.file.Path ca;

        private Builder(int port) {
            this.port = port;
        }

        /** Sent as {@code Authorization: Bearer}, unless {@link #tokenInQuery()}. */
        Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Sends the token as the {@code token} query parameter, as a browser must. */
        Builder tokenInQuery() {
            this.tokenInQuery = true;
            return this;
        }

        Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** {@link #PB}, {@link #JSON}, or {@link #NONE} to offer none. */
        Builder subprotocol(String subprotocol) {
            this.subprotocol = subprotocol;
            return this;
        }

        Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** Connects with wss://, trusting only the CA certificate in {@code caPem}. */
        Builder tls(java.nio.file.Path caPem) {
            this.ca = caPem;
            return this;
        }

        /** Acks every push as it arrives. */
        Builder autoAck() {
            this.autoAck = true;
            return this;
        }

        WsDevice start() {
            List<String> args = new ArrayList<>(List.of("--url", (ca == null ? "ws" : "wss") + "://127.0.0.1:" + port + "/ws",
                    "--subprotocol", subprotocol, "--token-in", tokenInQuery ? "query" : "header"));
            if (token != null) {
                args.addAll(List.of("--token", token));
            }
            if (deviceId != null) {
                args.addAll(List.of("--device-id", deviceId));
            }
            if (origin != null) {
                args.addAll(List.of("--origin", origin));
            }
            if (ca != null) {
                args.addAll(List.of("--ca", ca.toString()));
            }
            if (autoAck) {
                args.add("--auto-ack");
            }
            String name = "ws-device-" + (deviceId == null ? "anonymous" : deviceId) + "-" + subprotocol;
            return new WsDevice(NodeScript.start(name, "ws-device.mjs", args));
        }
    }

    /** Returns the next event, whatever it is, except the script's receipts of commands ("sent"). */
    JsonObject next() {
        return script.next(WAIT);
    }

    /** Returns the next event named {@code name} within {@link #WAIT}, skipping others; fails at the script's end. */
    JsonObject await(String name) {
        return script.await(name, WAIT);
    }

    JsonObject await(String name, Duration timeout) {
        return script.await(name, timeout);
    }

    /** Expects the upgrade to succeed and the HELLO to follow; returns the HELLO's headers. */
    JsonObject awaitHello() {
        script.expect("open", next());
        JsonObject hello = next();
        script.expect("hello", hello);
        return hello.getAsJsonObject("headers");
    }

    /** Expects a BYE with {@code code}, then the close with WebSocket status {@code closeCode}; returns the close. */
    JsonObject expectByeAndClose(int code, int closeCode) {
        JsonObject bye = next();
        script.expect("bye", bye);
        if (bye.get("code").getAsInt() != code) {
            fail("expected BYE " + code + ", got " + bye + "\n" + script);
        }
        return expectClose(closeCode);
    }

    /** Expects the close with WebSocket status {@code closeCode} as the next event. */
    JsonObject expectClose(int closeCode) {
        JsonObject close = next();
        script.expect("close", close);
        if (close.get("code").getAsInt() != closeCode) {
            fail("expected close " + closeCode + ", got " + close + "\n" + script);
        }
        return close;
    }

    /** SEND_MESSAGE of {@code payload} (UTF-8) to {@code service}. */
    WsDevice sendMessage(int service, long seqid, String payload, Map<String, String> headers) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("service", service);
        command.put("seqid", Long.toString(seqid));
        command.put("payload", payload);
        command.put("headers", headers);
        return command("send", command);
    }

    WsDevice ack(String seqid) {
        return command("ack", Map.of("seqid", seqid));
    }

    /** Sends any Frame in the negotiated encoding: {@code fields} as in ws-device.mjs (method, seqid, ...). */
    WsDevice frame(Map<String, Object> fields) {
        return command("frame", fields);
    }

    WsDevice ping(String data) {
        return command("ping", Map.of("data", data));
    }

    /** A text message of {@code text}, whatever the sub-protocol. */
    WsDevice rawText(String text) {
        return command("raw", Map.of("text", text));
    }

    /** A binary message of {@code bytes}, whatever the sub-protocol. */
    WsDevice rawBinary(byte[] bytes) {
        return command("raw", Map.of("base64", Base64.getEncoder().encodeToString(bytes)));
    }

    /** A message of {@code size} bytes ('x'), binary or text. */
    WsDevice rawOfSize(int size, boolean binary) {
        return command("raw", Map.of("size", size, "binary", binary));
    }

    WsDevice bye(int code, String reason) {
        return command("bye", Map.of("code", code, "reason", reason));
    }

    WsDevice command(String cmd, Map<String, ?> fields) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("cmd", cmd);
        command.putAll(fields);
        script.send(command);
        return this;
    }

    /** Waits for the script to exit by itself (after a close or a refused upgrade); returns its exit code. */
    int awaitExit() {
        return script.awaitExit(WAIT);
    }

    @Override
    public void close() {
        script.close();
    }

    @Override
    public String toString() {
        return script.toString();
    }

    /**
     * A script of {@code src/test/node} run by {@code node} in that directory: JSON lines to its stdin, its
     * stdout's JSON lines into a queue, stdout and stderr both in a log under {@code target/acceptance-logs}.
     * A line of event "failed" or the end of its output fails a wait, with everything it printed.
     */
    static final class NodeScript implements AutoCloseable {
        static final Path DIR = Distribution.checkout().resolve("acceptance/src/test/node");
        private static final String END = "(end of output)";
        private static final Gson GSON = new Gson();
        private static final AtomicInteger SEQUENCE = new AtomicInteger();

        private final String name;
        private final Process process;
        private final Path log;
        private final Writer logWriter;
        private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        private final OutputStream stdin;

        private NodeScript(String name, Process process, Path log, Writer logWriter) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.logWriter = logWriter;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(this::read, name + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Runs {@code node SCRIPT ARGS}; fails, saying how to install them, without node or the npm packages. */
        static NodeScript start(String name, String script, List<String> args) {
            checkInstalled();
            Path log = OsProcess.LOGS.resolve(String.format("node-%03d-%s.log", SEQUENCE.incrementAndGet(), name));
            List<String> command = new ArrayList<>(List.of("node", script));
            command.addAll(args);
            try {
                Files.createDirectories(OsProcess.LOGS);
                Files.deleteIfExists(log);
                // both append to the one file: O_APPEND keeps each write whole
                Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Process process = new ProcessBuilder(command).directory(DIR.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                return new NodeScript(name, process, log, writer);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command + " in " + DIR, e);
            }
        }

        private static void checkInstalled() {
            String hint = " ./frontier test installs it (npm ci in acceptance/src/test/node).";
            if (!Files.isDirectory(DIR.resolve("node_modules/ws"))) {
                fail(DIR.resolve("node_modules") + " lacks the npm packages of the Node clients." + hint);
            }
            try {
                Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
                String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                    fail("'node --version' failed (" + version + "): the Node clients need Node.js 20 or newer.");
                }
            } catch (IOException e) {
                fail("the Node clients need Node.js 20 or newer on the PATH (Debian: apt-get install nodejs npm): " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    logLine(line);
                    try {
                        events.add(JsonParser.parseString(line).getAsJsonObject());
                    } catch (RuntimeException notJson) {
                        // in the log, shown on failure
                    }
                }
            } catch (IOException e) {
                logLine("(reading stdout failed: " + e + ")");
            }
            JsonObject end = new JsonObject();
            end.addProperty("event", END);
            events.add(end);
        }

        private void logLine(String line) {
            synchronized (logWriter) {
                try {
                    logWriter.write(line);
                    logWriter.write('\n');
                    logWriter.flush();
                } catch (IOException ignored) {
                    // the log is for post-mortems only
                }
            }
        }

        void send(Map<String, Object> command) {
            String line = GSON.toJson(command);
            logLine("> " + line);
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                fail("cannot send " + line + " to " + name + ": " + e + "\n" + this);
            }
        }

        /** The next event other than "sent" within {@code timeout}; the end of output is an event too. */
        JsonObject next(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonObject event = poll(deadline, "any event", timeout);
                if (!event.get("event").getAsString().equals("sent")) {
                    return event;
                }
            }
        }

        /** The next event named {@code event} within {@code timeout}, skipping others. */
        JsonObject await(String event, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonObject got = poll(deadline, '"' + event + '"', timeout);
                String name = got.get("event").getAsString();
                if (name.equals(event)) {
                    return got;
                }
                if (name.equals("failed") || name.equals(END)) {
                    fail(this.name + " did not get to \"" + event + "\"\n" + this);
                }
            }
        }

        private JsonObject poll(long deadline, String what, Duration timeout) {
            try {
                JsonObject event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    fail("no " + what + " from " + name + " within " + timeout.toMillis() + " ms\n" + this);
                }
                if (event.get("event").getAsString().equals(END)) {
                    events.add(event);
                }
                return event;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Fails unless {@code got} is event {@code name}. */
        void expect(String name, JsonObject got) {
            if (!got.get("event").getAsString().equals(name)) {
                fail("expected \"" + name + "\" from " + this.name + ", got " + got + "\n" + this);
            }
        }

        int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail(name + " did not exit within " + timeout.toSeconds() + " s\n" + this);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // it may be gone already
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (logWriter) {
                try {
                    logWriter.close();
                } catch (IOException ignored) {
                    // nothing more to log
                }
            }
        }

        @Override
        public String toString() {
            String output;
            try {
                output = Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                output = "(cannot read " + log + ": " + e + ")\n";
            }
            return name + " (" + log + ") printed (stdout, '> ' commands, stderr):\n" + output.indent(2);
        }
    }
}
