package io.frontier.cli;

import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.device.ByeException;
import io.frontier.device.TcpDeviceClient;
import io.frontier.device.TcpDeviceClient.Push;
import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ctl device}: a developer's device on the TCP protocol. */
@Command(
        name = "device",
        mixinStandardHelpOptions = true,
        description = {
            "Plays a device on the TCP protocol and prints the pushes it receives.",
            "Connects to an edge, says Hello with the token,"
                    + " pings at half the heartbeat interval the edge announces (at least every second),"
                    + " and prints and acks every push as",
            "  push seq=N: PAYLOAD-AS-UTF-8",
            "It stops after --count pushes, when the edge closes the connection (printing the edge's Bye),"
                    + " or on Ctrl-C (sending Bye 200)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--count pushes received, or the edge closed with Bye 200",
            "1:the edge refused the Hello, or closed with a Bye other than 200 or without a Bye",
            "2:usage error",
            "3:the edge could not be reached"},
        footer = {"", "Example:",
            "  frontier ctl device --device phone-1 --token \"$(frontier ctl token --user alice)\""})
final class DeviceCommand implements Callable<Integer> {
    private static final long REPLY_SECONDS = 10;
    private static final long CONNECT_SECONDS = 60;
    /** How often the wait for pushes looks whether the connection closed meanwhile. */
    private static final long POLL_MILLIS = 200;

    @Spec
    private CommandSpec spec;

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:FRONTIER_DEVICE_TARGET:-localhost:9000}",
            converter = HostPort.Converter.class,
            description = "The edge's TCP address (default: FRONTIER_DEVICE_TARGET when set, else localhost:9000).")
    private HostPort target;

    @Option(names = "--token", required = true, paramLabel = "TOKEN",
            description = "The device token, as 'frontier ctl token' prints it.")
    private String token;

    @Option(names = "--device", required = true, paramLabel = "DEVICE", description = "The device id.")
    private String device;

    @Option(names = "--count", paramLabel = "N", description = "Stops after N pushes (default: runs until closed).")
    private Integer count;

    @Option(names = "--hellox-key", paramLabel = "HEX",
            description = "Says HelloX instead of Hello: an encrypted session with the edge whose public key this is"
                    + " (64 hex digits, as the edge prints it at start).")
    private String helloXKey;

    @Option(names = "--app-version", paramLabel = "VERSION", defaultValue = "frontier-ctl",
            description = "The app version the edge records (default: ${DEFAULT-VALUE}).")
    private String appVersion;

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count: " + count + " (expected: at least 1)");
        }
        if (helloXKey != null && !helloXKey.matches("[0-9a-fA-F]{64}")) {
            throw new ParameterException(spec.commandLine(), "--hellox-key: " + Ids.quoted(helloXKey)
                    + " (expected: the edge's public key, 64 hex digits)");
        }
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
        if (address.isUnresolved()) {
            err.println("device failed: cannot resolve " + target.host());
            return FrontierCtl.UNREACHABLE;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("ctl-device", true), NioIoHandler.newFactory());
        try {
            TcpDeviceClient client;
            try {
                client = TcpDeviceClient.connect(group, address, TcpDeviceClient.Options.DEFAULTS)
                        .get(CONNECT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                err.println("device failed: cannot connect to " + target + ": " + message(e)
                        + " (is the edge running on " + target + "?)");
                return FrontierCtl.UNREACHABLE;
            }
            try (client) {
                return session(client, group);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private int session(TcpDeviceClient client, EventLoopGroup group) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TcpHelloAck ack;
        try {
            ack = (helloXKey == null ? client.hello(token, device, appVersion)
                    : client.helloX(HexFormat.of().parseHex(helloXKey), token, device, appVersion))
                    .get(REPLY_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ByeException bye) {
                err.println("hello refused: bye " + bye.code() + (bye.reason().isEmpty() ? "" : ": " + bye.reason()));
            } else {
                err.println("hello failed: " + message(e));
            }
            return FrontierCtl.NOT_DONE;
        } catch (TimeoutException e) {
            err.println("hello failed: no answer within " + REPLY_SECONDS + "s");
            return FrontierCtl.NOT_DONE;
        }
        out.println("connected as " + ack.getUserId() + " conn " + ack.getConnId()
                + (helloXKey == null ? "" : " (HelloX, sealed)"));

        long interval = Math.max(1, ack.getHeartbeatSeconds() / 2);
        // An unanswered ping is dropped by the next interval, so none piles up.
        ScheduledFuture<?> pinger = group.next().scheduleAtFixedRate(
                () -> client.ping().orTimeout(interval, TimeUnit.SECONDS), interval, interval, TimeUnit.SECONDS);
        Thread ctrlC = new Thread(() -> leave(client, "interrupted"), "ctl-device-bye");
        Runtime.getRuntime().addShutdownHook(ctrlC);
        try {
            int received = 0;
            while (count == null || received < count) {
                // Read before polling: a close seen here means every push is already queued.
                boolean closed = client.closed().isDone();
                Push push = client.pushes().poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (push != null) {
                    out.println("push seq=" + push.seq() + ": " + new String(push.payload(), StandardCharsets.UTF_8));
                    received++;
                } else if (closed) {
                    return reportClose(client.byeReceived(), out);
                }
            }
            leave(client, "done");
            return FrontierCtl.OK;
        } finally {
            pinger.cancel(false);
            removeHook(ctrlC);
        }
    }

    private static void leave(TcpDeviceClient client, String reason) {
        client.bye(StatusCode.OK, reason);
        try {
            client.closed().get(REPLY_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Leaving anyway: the socket closes with the process.
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (Ctrl-C): the hook is running or has run.
        }
    }

    private static int reportClose(CompletableFuture<Bye> byeReceived, PrintWriter out) {
        Bye bye = byeReceived.isCompletedExceptionally() ? null : byeReceived.join();
        if (bye == null) {
            out.println("the edge closed the connection without a Bye");
            return FrontierCtl.NOT_DONE;
        }
        out.println("the edge said bye " + bye.getCode() + (bye.getReason().isEmpty() ? "" : ": " + bye.getReason()));
        return bye.getCode() == StatusCode.OK ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
    }

    private static String message(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
