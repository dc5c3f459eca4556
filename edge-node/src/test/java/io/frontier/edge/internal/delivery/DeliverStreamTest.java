package io.frontier.edge.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge's end of the stream of deliveries, in process, with deliveries that end when each test says. */
class DeliverStreamTest {
    private final Map<String, CompletableFuture<DeliverReply>> deliveries = new ConcurrentHashMap<>();
    private final BlockingQueue<DeliverResult> results = new LinkedBlockingQueue<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;
    private StreamObserver<DeliverItem> items;

    @BeforeEach
    void start() throws IOException {
        String name = "edge-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new EdgeServiceGrpc.EdgeServiceImplBase() {
            @Override
            public StreamObserver<DeliverItem> deliverStream(StreamObserver<DeliverResult> responseObserver) {
                return new DeliverStream(this::deliver, (ServerCallStreamObserver<DeliverResult>) responseObserver);
            }

            private CompletableFuture<DeliverReply> deliver(DeliverRequest request) {
                String connId = request.getConnIds(0);
                if (connId.startsWith("done-")) {
                    delivered.incrementAndGet();
                    return CompletableFuture.completedFuture(delivered(connId));
                }
                if (connId.isEmpty()) {
                    throw new IllegalArgumentException("conn_ids: an empty id");
                }
                return deliveries.computeIfAbsent(connId, id -> new CompletableFuture<>());
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        items = EdgeServiceGrpc.newStub(channel).deliverStream(new StreamObserver<>() {
            @Override
            public void onNext(DeliverResult result) {
                results.add(result);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void eachItem_isAnsweredWithItsId_whenItsDeliveryEnds() throws InterruptedException {
        items.onNext(item(7, "conn-a"));
        items.onNext(item(8, "conn-b"));

        deliveries.get("conn-b").complete(delivered("conn-b"));
        deliveries.get("conn-a").complete(delivered("conn-a"));

        DeliverResult first = next();
        DeliverResult second = next();
        assertThat(first.getId()).isEqualTo(8);
        assertThat(first.getReply()).isEqualTo(delivered("conn-b"));
        assertThat(second.getId()).isEqualTo(7);
        assertThat(second.getReply()).isEqualTo(delivered("conn-a"));
    }

    @Test
    void rejectedItem_isAnsweredAtOnceWithTheReason() throws InterruptedException {
        items.onNext(item(1, ""));

        DeliverResult result = next();
        assertThat(result.getId()).isEqualTo(1);
        assertThat(result.getError()).isEqualTo("INVALID_ARGUMENT: conn_ids: an empty id");
    }

    @Test
    void failedDelivery_isAnsweredAsFailed() throws InterruptedException {
        items.onNext(item(3, "conn-a"));

        deliveries.get("conn-a").completeExceptionally(new IllegalStateException("session broke"));

        DeliverResult result = next();
        assertThat(result.getId()).isEqualTo(3);
        assertThat(result.getError()).isEqualTo("INTERNAL: deliver failed");
    }

    @Test
    void deliveryThatEndsAfterTheCallerWent_isDropped() {
        items.onNext(item(4, "conn-a"));
        items.onError(new IllegalStateException("control plane gone"));

        deliveries.get("conn-a").complete(delivered("conn-a"));

        assertThat(results).isEmpty();
    }

    @Test
    void callerThatReadsNoResults_getsNoMoreItemsTakenThanTheBound() {
        ClientCallStreamObserver<DeliverItem>[] call = new ClientCallStreamObserver[1];
        StreamObserver<DeliverItem> silent = EdgeServiceGrpc.newStub(channel).deliverStream(
                new ClientResponseObserver<DeliverItem, DeliverResult>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<DeliverItem> requestStream) {
                        call[0] = requestStream;
                        requestStream.disableAutoRequestWithInitial(0);
                    }

                    @Override
                    public void onNext(DeliverResult result) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        int sent = DeliverStream.MAX_IN_FLIGHT + 10;
        for (int i = 0; i < sent; i++) {
            silent.onNext(item(i, "done-" + i));
        }
        // In process with direct executors an item is handled in the sender's call: what was not taken, waits.
        assertThat(delivered).hasValue(DeliverStream.MAX_IN_FLIGHT);

        call[0].request(Integer.MAX_VALUE);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == sent);
        silent.onCompleted();
    }

    private DeliverResult next() throws InterruptedException {
        DeliverResult result = results.poll(10, TimeUnit.SECONDS);
        assertThat(result).as("a result").isNotNull();
        return result;
    }

    private static DeliverItem item(long id, String connId) {
        return DeliverItem.newBuilder().setId(id).setRequest(DeliverRequest.newBuilder().addConnIds(connId)).build();
    }

    private static DeliverReply delivered(String connId) {
        return DeliverReply.newBuilder().addOutcomes(DeviceOutcome.newBuilder().setConnId(connId)
                .setOutcome(DeviceOutcome.Outcome.DELIVERED)).build();
    }
}
