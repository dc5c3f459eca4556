package io.frontier.launcher;

import io.grpc.Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a node (standalone, control plane, edge) in the order they started; closing
 * stops them in reverse order, each even when an earlier one failed to stop, so that a node
 * that fails half-way through its start leaves nothing running.
 */
public final class Parts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Parts.class);

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Records a part that started and returns it. */
    public <T extends AutoCloseable> T add(T part) {
        started.add(part);
        return part;
    }

    /**
     * Starts a gRPC server and records it: closing stops it taking calls, then waits for the calls
     * under way, 5 s at most.
     *
     * @param serving what the server serves, for the message when it cannot listen
     * @throws IOException when the port cannot be bound, saying which and why
     */
    public Server start(Server server, String host, int port, String serving) throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " for " + serving + ": " + rootMessage(e), e);
        }
        add(() -> {
            server.shutdown();
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        });
        return server;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable part = started.get(i);
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part, e.toString());
            }
        }
        started.clear();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
