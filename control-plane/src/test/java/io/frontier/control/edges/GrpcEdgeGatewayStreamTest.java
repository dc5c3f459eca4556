package io.frontier.control.edges;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pushes on the stream of deliveries to an in-process edge whose answers each test controls. */
class GrpcEdgeGatewayStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String name = "edge-" + UUID.randomUUID();
    private final EdgeDirectory directory = new EdgeDirectory();
    private Server server;
    private GrpcEdgeGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        server.shutdownNow();
    }

    @Test
    void deliveries_goOnOneStream_andEachGetsItsOwnAnswer_inWhateverOrderTheyEnd() throws Exception {
        StreamingEdge edge = start(new StreamingEdge());
        List<CompletableFuture<DeliverReply>> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(gateway.deliver("edge-1", request("conn-" + i)));
        }
        List<DeliverItem> items = List.of(edge.next(), edge.next(), edge.next());

        edge.answer(items.get(2));
        edge.answer(items.get(0));
        edge.answer(items.get(1));

        for (int i = 0; i < 3; i++) {
            assertThat(replies.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).getOutcomes(0).getConnId())
                    .isEqualTo("conn-" + i);
        }
        assertThat(edge.streams).hasValue(1);
    }

    @Test
    void edgeError_failsThatDeliveryOnly() throws Exception {
        StreamingEdge edge = start(new StreamingEdge());
        CompletableFuture<DeliverReply> failing = gateway.deliver("edge-1", request("conn-1"));
        CompletableFuture<DeliverReply> fine = gateway.deliver("edge-1", request("conn-2"));

        edge.results.onNext(DeliverResult.newBuilder().setId(edge.next().getId()).setError("INTERNAL: deliver failed")
                .build());
        edge.answer(edge.next());

        assertThat(failing).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessage("edge edge-1 failed: INTERNAL: deliver failed");
        assertThat(fine.get(WAIT.toSeconds(), TimeUnit.SECONDS).getOutcomesCount()).isEqualTo(1);
    }

    @Test
    void streamThatEnds_failsItsDeliveriesAsUnreachable_andTheNextPushOpensAnother() throws Exception {
        StreamingEdge edge = start(new StreamingEdge());
        CompletableFuture<DeliverReply> inFlight = gateway.deliver("edge-1", request("conn-1"));
        edge.next();

        edge.results.onError(Status.UNAVAILABLE.withDescription("edge stopping").asException());

        assertThat(inFlight).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(EdgeUnavailableException.class)
                .withMessageContaining("edge-1 unreachable");
        CompletableFuture<DeliverReply> next = gateway.deliver("edge-1", request("conn-2"));
        edge.answer(edge.next());
        assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS).getOutcomes(0).getConnId()).isEqualTo("conn-2");
        assertThat(edge.streams).hasValue(2);
    }

    @Test
    void edgeThatDoesNotAnswer_failsTheDeliveryAtItsDeadline() throws Exception {
        start(new StreamingEdge(), Duration.ofMillis(50));

        CompletableFuture<DeliverReply> unanswered = gateway.deliver("edge-1", request("conn-1"));

        assertThat(unanswered).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessage("edge edge-1 did not answer within 50 ms");
    }

    @Test
    void edgeWithoutTheStream_getsEachDeliveryAsACallOfItsOwn() throws Exception {
        UnaryEdge edge = start(new UnaryEdge());

        for (int i = 0; i < 3; i++) {
            DeliverReply reply = gateway.deliver("edge-1", request("conn-" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.getOutcomes(0).getConnId()).isEqualTo("conn-" + i);
        }
        assertThat(edge.calls).hasValue(3);
    }

    private <T extends EdgeServiceGrpc.EdgeServiceImplBase> T start(T edge) throws IOException {
        return start(edge, Duration.ofSeconds(5));
    }

    private <T extends EdgeServiceGrpc.EdgeServiceImplBase> T start(T edge, Duration deadline) throws IOException {
        server = InProcessServerBuilder.forName(name).directExecutor().addService(edge).build().start();
        directory.put(EdgeRecord.newBuilder().setEdgeId("edge-1").setInstanceId("run-1").setGrpcAddress(name).build());
        gateway = new GrpcEdgeGateway(directory,
                target -> InProcessChannelBuilder.forName(target).directExecutor().build(), deadline);
        return edge;
    }

    private static DeliverRequest request(String connId) {
        return DeliverRequest.newBuilder().addConnIds(connId).build();
    }

    private static DeliverReply delivered(DeliverRequest request) {
        return DeliverReply.newBuilder().addOutcomes(DeviceOutcome.newBuilder().setConnId(request.getConnIds(0))
                .setOutcome(DeviceOutcome.Outcome.DELIVERED)).build();
    }

    /** An edge with the stream, which answers its items when the test says so. */
    private static final class StreamingEdge extends EdgeServiceGrpc.EdgeServiceImplBase
            implements StreamObserver<DeliverItem> {
        final BlockingQueue<DeliverItem> items = new LinkedBlockingQueue<>();
        final AtomicInteger streams = new AtomicInteger();
        volatile StreamObserver<DeliverResult> results;

        @Override
        public StreamObserver<DeliverItem> deliverStream(StreamObserver<DeliverResult> responseObserver) {
            streams.incrementAndGet();
            results = responseObserver;
            return this;
        }

        @Override
        public void onNext(DeliverItem item) {
            items.add(item);
        }

        DeliverItem next() throws InterruptedException {
            DeliverItem item = items.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(item).as("an item on the stream").isNotNull();
            return item;
        }

        @Override
        public void onError(Throwable t) {
            // The test ends streams from the edge's side only.
        }

        void answer(DeliverItem item) {
            results.onNext(DeliverResult.newBuilder().setId(item.getId()).setReply(delivered(item.getRequest())).build());
        }

        @Override
        public void onCompleted() {
            // As onError.
        }
    }

    /** An edge of an older version: Deliver only. */
    private static final class UnaryEdge extends EdgeServiceGrpc.EdgeServiceImplBase {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void deliver(DeliverRequest request, StreamObserver<DeliverReply> responseObserver) {
            calls.incrementAndGet();
            responseObserver.onNext(delivered(request));
            responseObserver.onCompleted();
        }
    }
}
