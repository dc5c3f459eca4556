package io.frontier.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for the servers tests start, taken below the kernel's ephemeral range. A port
 * from {@code new ServerSocket(0)} is an ephemeral one: between the moment it is handed out and
 * the moment the server binds it, any outbound connection of the machine (a gRPC client, a
 * Redis client) may take it as its local port, and the server then fails with "Address already
 * in use". Below the range, only another server could take it. No port is handed out twice in
 * one JVM.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();
    private static final int EPHEMERAL_LOW = ephemeralLow();

    private FreePorts() {
    }

    /** Returns a port below the ephemeral range that was free on every address a moment ago. */
    public static int next() {
        return next(0);
    }

    /**
     * Returns a port like {@link #next()} whose companion {@code port + offset} (a Redis cluster's
     * bus port) is free and below the ephemeral range too.
     */
    public static int next(int offset) {
        int high = EPHEMERAL_LOW - offset;
        if (high <= LOWEST + 100) {
            throw new IllegalStateException("no room below the ephemeral ports (from " + EPHEMERAL_LOW
                    + ") for a port and its companion at +" + offset);
        }
        for (int tries = 0; tries < 10_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, high);
            if (handedOut.add(port) && bindable(port) && (offset == 0 || bindable(port + offset))) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + (high - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The lowest ephemeral port of Linux ({@code net.ipv4.ip_local_port_range}); IANA's 49152 elsewhere. */
    private static int ephemeralLow() {
        try {
            // Read as a stream: procfs reports a size of 0, and a read sized by it returns a fragment.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Math.min(Integer.parseInt(range.split("\\s+")[0]), 49_152);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
