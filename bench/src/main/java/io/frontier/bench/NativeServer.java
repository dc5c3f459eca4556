package io.frontier.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer server that is not a JVM (nginx, node, mosquitto) as a process of its own, in the
 * foreground, with its output in a log file: started, waited for on its port, measured through
 * /proc with its children, stopped.
 */
final class NativeServer implements AutoCloseable {
    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private NativeServer(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code dir} and waits (up to 30 s) until it listens on {@code port}. */
    static NativeServer start(String name, List<String> command, Path dir, int port) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        NativeServer server = new NativeServer(name, port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited (" + p.exitValue() + "): " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException(name + " did not open port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    long cpuMillis() throws IOException {
        return Proc.treeCpuMillis(process.toHandle());
    }

    long memoryBytes() throws IOException {
        return Proc.treeMemoryBytes(process.toHandle());
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        // nginx's master takes its workers down on SIGTERM; these are for one that did not.
        for (ProcessHandle c : children) {
            c.destroyForcibly();
        }
    }
}
