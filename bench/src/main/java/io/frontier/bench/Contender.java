package io.frontier.bench;

import java.util.List;

/**
 * A server that bench/compare runs a scenario against (Frontier, the bare-Netty baseline or a
 * peer), as processes of its own; the same generator drives them all through what each of them
 * offers here: how devices connect, how a push or a broadcast is sent, what CPU and memory its
 * processes use.
 */
interface Contender extends AutoCloseable {
    String name();

    /** The cores its processes can use: what "limited by the server" is measured against. */
    int cores();

    /** Whether its processes still run: a run in which one exited (or was killed) measured nothing of it. */
    boolean alive();

    /** CPU time of all its processes in ms. */
    long cpuMillis() throws Exception;

    /** Devices for it, {@code protocol} TCP or WS; {@code broadcast} when the scenario is a broadcast. */
    LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast);

    /** Its HTTP push API, where it takes pushes over HTTP; null otherwise (then it overrides the two below). */
    HttpPushApi httpApi();

    /** Where unicast pushes go. */
    default Pusher.Sender pushes() throws Exception {
        return httpApi().sender();
    }

    /**
     * Sends one broadcast of {@code payload} to every device and returns once the server answered
     * (Frontier's once every write is done, nchan's once the message is queued).
     */
    default void broadcast(byte[] payload) throws Exception {
        httpApi().broadcast(payload);
    }

    /** The JVMs that hold its connections, measured as bench/run's idle scenario does; empty for other servers. */
    List<ServerProcess> jvms();

    /** For a server that is not a JVM: its processes' memory ({@link Proc#treeMemoryBytes}), after a GC where it has one. */
    long memoryBytes() throws Exception;

    @Override
    void close() throws Exception;
}
