package io.frontier.edge.internal.delivery;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One control plane's stream of deliveries ({@code EdgeService.DeliverStream}): each item is delivered as a
 * Deliver call would be and answered, with its id, as soon as its delivery ends, so that results come back
 * in the order deliveries end rather than the order they came. Results of a stream whose caller went are
 * dropped.
 *
 * <p>Items are read only as the caller reads results: a caller that sends and never reads would otherwise
 * make the edge hold every answer in the stream's write buffer. The stream asks for {@link #MAX_IN_FLIGHT}
 * items, then for one more per result the transport takes at once, or, when it is not ready, for those it
 * owes once it is again: the deliveries in flight plus the answers buffered stay within that bound.
 */
final class DeliverStream implements StreamObserver<DeliverItem> {
    /** Deliveries in flight on one stream at most: as many as a control plane sends (EdgeStream). */
    static final int MAX_IN_FLIGHT = 65_536;

    private final Function<DeliverRequest, CompletableFuture<DeliverReply>> deliver;
    private final ServerCallStreamObserver<DeliverResult> results;
    // Guarded by this: a stream takes one writer at a time, and deliveries end on many event loops.
    private boolean ended;
    // Guarded by this: items to ask for once the transport is ready for more results.
    private int owed;

    DeliverStream(Function<DeliverRequest, CompletableFuture<DeliverReply>> deliver,
                  ServerCallStreamObserver<DeliverResult> results) {
        this.deliver = deliver;
        this.results = results;
        results.setOnCancelHandler(this::end);
        results.disableAutoRequest();
        results.setOnReadyHandler(this::ready);
        results.request(MAX_IN_FLIGHT);
    }

    @Override
    public void onNext(DeliverItem item) {
        long id = item.getId();
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
        synchronized (this) {
            if (ended) {
                return;
            }
            results.onNext(result);
            if (results.isReady()) {
                results.request(1);
            } else {
                owed++;
            }
        }
    }

    private synchronized void ready() {
        if (!ended && owed > 0 && results.isReady()) {
            results.request(owed);
            owed = 0;
        }
    }

    private synchronized void end() {
        ended = true;
    }
}
