package io.frontier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the peers that are not JVMs share: a process started in a directory of its own (its
 * configuration written there from {@code bench/peers/}), measured through /proc, and the HTTP
 * push API of those that take pushes over HTTP.
 */
abstract class PeerContender implements Contender {
    protected final Path dir;
    protected final NativeServer server;
    /** Null for a peer that takes no pushes over HTTP. */
    protected final HttpPushApi api;

    /**
     * Starts the command that {@code setup} returns in a new temporary directory that it has filled
     * first; {@code api} is the peer's HTTP push API on {@code port}, or null.
     */
    PeerContender(String name, int port, HttpPushApi api, Setup setup) throws Exception {
        this.api = api;
        this.dir = Files.createTempDirectory("frontier-bench-" + name + "-");
        try {
            this.server = NativeServer.start(name, setup.prepare(dir), dir, port);
        } catch (Exception | Error e) {
            delete(dir);
            throw e;
        }
    }

    /** Writes the peer's files into its directory and returns the command that starts it. */
    interface Setup {
        List<String> prepare(Path dir) throws IOException;
    }

    /** {@code bench/peers/}, which bench/compare names. */
    static Path peers() {
        String p = System.getProperty("frontier.bench.peers");
        if (p == null || !Files.isDirectory(Path.of(p))) {
            throw new IllegalStateException("-Dfrontier.bench.peers names no directory (" + p
                    + "): run through bench/compare");
        }
        return Path.of(p);
    }

    /** {@code bench/peers/TEMPLATE} with {@code @PORT@} replaced, written to {@code target}. */
    static void fill(String template, int port, Path target) throws IOException {
        Files.writeString(target, Files.readString(peers().resolve(template)).replace("@PORT@", "" + port));
    }

    @Override
    public String name() {
        return server.name;
    }

    @Override
    public boolean alive() {
        return server.alive();
    }

    @Override
    public long cpuMillis() throws Exception {
        return server.cpuMillis();
    }

    @Override
    public List<ServerProcess> jvms() {
        return List.of();
    }

    @Override
    public long memoryBytes() throws Exception {
        return server.memoryBytes();
    }

    /** Devices that connect to the peer's port through {@code adapter}. */
    protected LoadGenerator generator(Args args, LoadGenerator.Protocol protocol, LoadGenerator.DeviceAdapter adapter) {
        List<InetSocketAddress> at = List.of(new InetSocketAddress("127.0.0.1", server.port));
        return new LoadGenerator(args.integer("threads", 2), new LoadGenerator.Targets(at, at, protocol),
                args.integer("sources", 4), adapter);
    }

    @Override
    public HttpPushApi httpApi() {
        return api;
    }

    @Override
    public void close() throws Exception {
        if (api != null) {
            api.close();
        }
        server.close();
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
