package io.frontier.example;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The example backend as a server: {@link ExampleBackService} over plaintext gRPC on
 * 127.0.0.1. {@code ./frontier example-backend} runs it.
 */
public final class ExampleBackend implements AutoCloseable {
    /** The port {@code ./frontier example-backend} serves on when none is given. */
    public static final int DEFAULT_PORT = 7100;

    private static final String HOST = "127.0.0.1";

    private final Server server;

    private ExampleBackend(Server server) {
        this.server = server;
    }

    /**
     * Serves on 127.0.0.1:{@code port}, prints {@code example backend listening on 127.0.0.1:PORT}
     * to {@code out}, and returns; events are printed to {@code out} too.
     *
     * @param port the port, 0..65535; 0 picks a free one
     * @throws IOException when the port cannot be bound
     */
    public static ExampleBackend start(int port, PrintStream out) throws IOException {
        requireNonNull(out, "out");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port))
                .addService(new ExampleBackService(out))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + HOST + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        out.println("example backend listening on " + HOST + ":" + server.getPort());
        return new ExampleBackend(server);
    }

    /**
     * Serves as {@link #start} does until the JVM stops.
     *
     * @throws IOException when the port cannot be bound
     * @throws InterruptedException when interrupted while serving
     */
    public static void run(int port, PrintStream out) throws IOException, InterruptedException {
        ExampleBackend backend = start(port, out);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "example-backend-shutdown"));
        backend.server.awaitTermination();
    }

    /** Serves on the port of the first argument, or {@value #DEFAULT_PORT}, until the JVM stops. */
    public static void main(String[] args) throws IOException, InterruptedException {
        run(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT, System.out);
    }

    /** Returns the port served on. */
    public int port() {
        return server.getPort();
    }

    /** Stops serving: calls in progress get 5 s to finish. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
