package io.frontier.control.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.SendEventReply;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend restarted shortly after it went down still gets the first event, over real
 * sockets and the notifier's own channels, with the default settings (3 tries, 2 s per call).
 */
class EventNotifierRestartTest {
    private final List<ConnectionEvent> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor();
    private volatile Server backend;

    @AfterEach
    void stop() throws InterruptedException {
        restarts.shutdownNow();
        assertThat(restarts.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        if (backend != null) {
            backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Server start(int port) {
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new BackServiceGrpc.BackServiceImplBase() {
                        @Override
                        public void sendEvent(ConnectionEvent event, StreamObserver<SendEventReply> reply) {
                            received.add(event);
                            reply.onNext(SendEventReply.getDefaultInstance());
                            reply.onCompleted();
                        }
                    })
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void backendBackAbout300msAfterItWentDown_getsTheFirstEvent() throws Exception {
        Server first = start(0);
        int port = first.getPort();
        first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        ConnectionEvent event = ConnectionEvents.connected(ConnectionInfo.newBuilder().setConnId("c1")
                .setUserId("alice").build(), 1);

        try (EventNotifier notifier = new EventNotifier(EventNotifierConfig.of(List.of("127.0.0.1:" + port)))) {
            notifier.publish(event);
            restarts.schedule(() -> backend = start(port), 300, TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        }
        assertThat(received).containsExactly(event);
    }
}
