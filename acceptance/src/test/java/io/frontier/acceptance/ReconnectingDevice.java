package io.frontier.acceptance;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A feature phone that stays online as a real one does: it says Hello to an edge, acks every push, and when
 * the connection ends (Bye 503: reconnect elsewhere, or any other end) connects to the next edge of the list,
 * trying them in turn until one takes it. Keeps every push it received, over all its connections.
 */
final class ReconnectingDevice implements AutoCloseable {
    /** A pause between two failed connects, as a device's backoff; not a synchronisation of the test. */
    private static final long RETRY_MS = 100;

    private final String user;
    private final String token;
    private final Supplier<List<Integer>> edgePorts;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean online;
    private volatile boolean closed;
    private volatile RawTcpDevice current;
    private volatile long longestGapMs;
    private long endedAtNanos;
    private int next;

    ReconnectingDevice(String user, String token, int firstEdge, Supplier<List<Integer>> edgePorts) {
        this.user = user;
        this.token = token;
        this.edgePorts = edgePorts;
        this.next = firstEdge;
        this.thread = new Thread(this::run, "device-" + user);
        thread.setDaemon(true);
    }

    ReconnectingDevice start() {
        thread.start();
        return this;
    }

    String user() {
        return user;
    }

    /** Whether the device holds a connection its Hello was answered on. */
    boolean online() {
        return online;
    }

    /** The longest time from the end of one connection to the Hello answered on the next. */
    long longestGapMs() {
        return longestGapMs;
    }

    /** How many connections came online. */
    int connections() {
        return connections.get();
    }

    /** The payloads of every push received, on any connection, the current one included. */
    Set<String> received() {
        Set<String> all = new HashSet<>(received);
        RawTcpDevice device = current;
        if (device != null) {
            all.addAll(device.pushes());
        }
        return all;
    }

    private void run() {
        while (!closed) {
            List<Integer> ports = edgePorts.get();
            int port = ports.get(next % ports.size());
            next++;
            RawTcpDevice device;
            try {
                device = RawTcpDevice.connect(port);
            } catch (RuntimeException refused) {
                pause();
                continue;
            }
            current = device;
            try {
                device.autoAck();
                RawTcpDevice.Frame answer = device.hello(token, "phone-1");
                if (answer.cmd() != RawTcpDevice.HELLO) {
                    device.close();
                    pause();
                    continue;
                }
                if (connections.incrementAndGet() > 1) {
                    longestGapMs = Math.max(longestGapMs, (System.nanoTime() - endedAtNanos) / 1_000_000);
                }
                online = true;
                // Until the connection ends: every frame but the pushes (acked and kept by the reader) is a Bye.
                RawTcpDevice.Frame frame;
                do {
                    frame = device.next(Duration.ofDays(1));
                } while (frame.cmd() != -1 && !closed);
            } catch (AssertionError | RuntimeException ended) {
                // The connection failed before or after its Hello: try the next edge.
            } finally {
                if (online) {
                    endedAtNanos = System.nanoTime();
                }
                online = false;
                received.addAll(device.pushes());
                device.close();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        RawTcpDevice device = current;
        if (device != null) {
            device.close();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
