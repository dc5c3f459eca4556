package io.frontier.control.push;

import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.status.UserStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PushServiceImpl} served over the in-process transport under a unique name, and a
 * blocking stub on a channel to it. {@link #close()} shuts both down, as GrpcCleanupRule would.
 */
final class InProcessPush implements AutoCloseable {
    private final Server server;
    private final ManagedChannel channel;
    private final PushServiceGrpc.PushServiceBlockingStub stub;

    InProcessPush(UserStatus status, EdgeGateway edges, PushLimits limits) {
        this(status, edges, limits, null);
    }

    InProcessPush(UserStatus status, EdgeGateway edges, PushLimits limits, OfflineNotifier notifier) {
        this(status, edges, limits, notifier, PushDeadlines.DEFAULTS);
    }

    InProcessPush(UserStatus status, EdgeGateway edges, PushLimits limits, OfflineNotifier notifier,
                  PushDeadlines deadlines) {
        String name = InProcessServerBuilder.generateName();
        try {
            server = InProcessServerBuilder.forName(name)
                    .directExecutor()
                    .addService(new PushServiceImpl(status, edges, limits, notifier, deadlines))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = PushServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** Returns a stub with a deadline 10 s after this harness started, so that a hung call fails the test. */
    PushServiceGrpc.PushServiceBlockingStub stub() {
        return stub;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS) || !server.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("in-process channel or server did not terminate");
        }
    }
}
