package io.frontier.bench;

import java.net.InetSocketAddress;
import java.util.List;

/** A contender that is one JVM of ours (Frontier, the baseline): measured through {@link ServerProcess}. */
abstract class JvmContender implements Contender {
    protected final ServerProcess process;

    JvmContender(ServerProcess process) {
        this.process = process;
    }

    @Override
    public String name() {
        return process.name;
    }

    /** Netty's event loops, one per core and more, can use every core. */
    @Override
    public int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public boolean alive() {
        return process.process.isAlive();
    }

    @Override
    public long cpuMillis() throws Exception {
        return process.cpuMillis();
    }

    /** Devices on the gateway's protocols, to the process's TCP and WebSocket ports. */
    protected LoadGenerator generator(Args args, LoadGenerator.Protocol protocol, boolean speaksProtocol) {
        return Main.generator(args, new LoadGenerator.Targets(List.of(new InetSocketAddress("127.0.0.1", process.tcpPort)),
                List.of(new InetSocketAddress("127.0.0.1", process.wsPort)), protocol), speaksProtocol);
    }

    @Override
    public List<ServerProcess> jvms() {
        return List.of(process);
    }

    @Override
    public long memoryBytes() {
        throw new UnsupportedOperationException("a JVM: its memory is measured through jvms()");
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
