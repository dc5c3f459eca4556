package io.frontier.edge.internal.delivery;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One control plane's stream of deliveries ({@code EdgeService.DeliverStream}): each item is delivered as a
 * Deliver call would be and answered, with its id, as soon as its delivery ends, so that results come back
 * in the order deliveries end rather than the order they came. Deliveries in flight on a stream are bounded;
 * past the bound an item is answered at once with an error. Results of a stream whose caller went are dropped.
 */
final class DeliverStream implements StreamObserver<DeliverItem> {
    /** Deliveries in flight on one stream at most: as many as a control plane sends (EdgeStream). */
    static final int MAX_IN_FLIGHT = 65_536;

    private final Function<DeliverRequest, CompletableFuture<DeliverReply>> deliver;
    private final ServerCallStreamObserver<DeliverResult> results;
    private final AtomicInteger inFlight = new AtomicInteger();
    // Guarded by this: a stream takes one writer at a time, and deliveries end on many event loops.
    private boolean ended;

    DeliverStream(Function<DeliverRequest, CompletableFuture<DeliverReply>> deliver,
                  ServerCallStreamObserver<DeliverResult> results) {
        this.deliver = deliver;
        this.results = results;
        results.setOnCancelHandler(this::end);
    }

    @Override
    public void onNext(DeliverItem item) {
        long id = item.getId();
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            answer(DeliverResult.newBuilder().setId(id).setError(MAX_IN_FLIGHT + " deliveries in flight already")
                    .build());
            return;
        }
        CompletableFuture<DeliverReply> delivery;
        try {
            delivery = deliver.apply(item.getRequest());
        } catch (IllegalArgumentException e) {
            answer(DeliverResult.newBuilder().setId(id).setError("INVALID_ARGUMENT: " + e.getMessage()).build());
            return;
        }
        delivery.whenComplete((reply, error) -> answer(error == null
                ? DeliverResult.newBuilder().setId(id).setReply(reply).build()
                : DeliverResult.newBuilder().setId(id).setError("INTERNAL: deliver failed").build()));
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                results.onCompleted();
            }
        }
    }

    private void answer(DeliverResult result) {
        inFlight.decrementAndGet();
        synchronized (this) {
            if (!ended) {
                results.onNext(result);
            }
        }
    }

    private synchronized void end() {
        ended = true;
    }
}
