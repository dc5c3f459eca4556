package io.frontier.control.edges;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The stream of deliveries a control plane keeps open to one edge ({@code EdgeService.DeliverStream}): a
 * push to the edge is a message on it rather than a call of its own, which spares each push a stream's
 * headers, trailers and deadline timer at both ends; the edge answers each by its id.
 *
 * <p>Deliveries in flight are bounded ({@link #MAX_IN_FLIGHT}), and each is bounded in time as a Deliver
 * call would be. When the stream ends, every delivery in flight fails as that call would have: an
 * UNAVAILABLE end as {@link EdgeUnavailableException}. An edge that does not know the stream (UNIMPLEMENTED:
 * an older version) handled none of them, so they go to {@code unary} instead, and so does the caller from
 * then on ({@link #isUnsupported()}). Ended, a stream stays ended: the gateway opens another. Thread-safe.
 */
final class EdgeStream implements ClientResponseObserver<DeliverItem, DeliverResult> {
    /** Deliveries in flight on one stream at most; one more fails at once. */
    static final int MAX_IN_FLIGHT = 65_536;

    private final String edgeId;
    private final Function<DeliverRequest, CompletableFuture<DeliverReply>> unary;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private ClientCallStreamObserver<DeliverItem> requests;
    private volatile Status ended;

    private EdgeStream(String edgeId, Function<DeliverRequest, CompletableFuture<DeliverReply>> unary) {
        this.edgeId = edgeId;
        this.unary = unary;
    }

    /** Opens a stream to the edge {@code edgeId} on {@code channel}; {@code unary} delivers when the edge has none. */
    static EdgeStream open(String edgeId, Channel channel,
                           Function<DeliverRequest, CompletableFuture<DeliverReply>> unary) {
        EdgeStream stream = new EdgeStream(edgeId, unary);
        EdgeServiceGrpc.newStub(channel).deliverStream(stream);
        return stream;
    }

    /** Returns whether the stream still takes deliveries. */
    boolean isOpen() {
        return ended == null;
    }

    /** Returns whether the edge said it has no such stream, so that its deliveries go as calls of their own. */
    boolean isUnsupported() {
        Status status = ended;
        return status != null && status.getCode() == Status.Code.UNIMPLEMENTED;
    }

    /** Sends a delivery; its reply fails once {@code timeoutMs} has passed without the edge's answer. */
    CompletableFuture<DeliverReply> deliver(DeliverRequest request, long timeoutMs) {
        if (pending.size() >= MAX_IN_FLIGHT) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "edge " + edgeId + ": " + MAX_IN_FLIGHT + " deliveries in flight already"));
        }
        long id = ids.incrementAndGet();
        Pending delivery = new Pending(request);
        pending.put(id, delivery);
        delivery.reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((reply, error) -> pending.remove(id));
        // Checked after the put: an end that came meanwhile has either failed this delivery or left it here.
        Status status = ended;
        if (status != null) {
            fail(id, status);
        } else {
            DeliverItem item = DeliverItem.newBuilder().setId(id).setRequest(request).build();
            try {
                synchronized (this) {
                    requests.onNext(item);
                }
            } catch (RuntimeException e) {
                // The call ended under us (cancelled by close): its end fails the others.
                fail(id, Status.UNAVAILABLE.withDescription("stream closed").withCause(e));
            }
        }
        return delivery.reply.exceptionallyCompose(error -> CompletableFuture.failedFuture(
                error instanceof TimeoutException ? new IllegalStateException("edge " + edgeId
                        + " did not answer within " + timeoutMs + " ms") : error));
    }

    /** Cancels the stream; deliveries in flight fail as the edge being unreachable. */
    void close() {
        synchronized (this) {
            requests.cancel("the control plane closed the stream", null);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DeliverItem> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(DeliverResult result) {
        Pending delivery = pending.remove(result.getId());
        if (delivery == null) {
            // Timed out already: its caller was answered.
            return;
        }
        if (result.hasReply()) {
            delivery.reply.complete(result.getReply());
        } else {
            delivery.reply.completeExceptionally(new IllegalStateException(
                    "edge " + edgeId + " failed: " + result.getError()));
        }
    }

    @Override
    public void onError(Throwable t) {
        end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end(Status.UNAVAILABLE.withDescription("the edge ended the stream"));
    }

    private void end(Status status) {
        ended = status;
        for (Long id : pending.keySet()) {
            fail(id, status);
        }
    }

    private void fail(long id, Status status) {
        Pending delivery = pending.remove(id);
        if (delivery == null) {
            return;
        }
        switch (status.getCode()) {
            case UNIMPLEMENTED -> unary.apply(delivery.request).whenComplete((reply, error) -> {
                if (error == null) {
                    delivery.reply.complete(reply);
                } else {
                    delivery.reply.completeExceptionally(error);
                }
            });
            case UNAVAILABLE, CANCELLED -> delivery.reply.completeExceptionally(new EdgeUnavailableException(
                    "edge " + edgeId + " unreachable: " + status.getDescription(), status.asException()));
            default -> delivery.reply.completeExceptionally(new IllegalStateException("edge " + edgeId + " failed: "
                    + status.getCode() + (status.getDescription() != null ? ": " + status.getDescription() : "")));
        }
    }

    /** A delivery in flight: what to send again as a call if the edge has no stream, and its caller's reply. */
    private static final class Pending {
        final DeliverRequest request;
        final CompletableFuture<DeliverReply> reply = new CompletableFuture<>();

        Pending(DeliverRequest request) {
            this.request = request;
        }
    }
}
