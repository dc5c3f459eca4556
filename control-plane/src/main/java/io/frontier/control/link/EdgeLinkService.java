package io.frontier.control.link;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.ControlMessage;
import io.frontier.api.v1.EdgeHello;
import io.frontier.api.v1.EdgeLinkGrpc;
import io.frontier.api.v1.EdgeMessage;
import io.frontier.control.StoreFailures;
import io.frontier.control.access.PeerNames;
import io.frontier.control.status.StatusUpdater;
import io.frontier.protocol.Ids;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's end of EdgeLink. Each edge's messages are applied to UserStatus
 * one after another, in the order sent, and acknowledged once applied; the stream asks
 * for more messages only as it applies them (gRPC flow control), so a slow store slows
 * the edge instead of filling memory. A store failure ends the stream with UNAVAILABLE:
 * the edge attaches again, snapshot first, once the store is back.
 */
public final class EdgeLinkService extends EdgeLinkGrpc.EdgeLinkImplBase {
    private static final Logger log = LoggerFactory.getLogger(EdgeLinkService.class);
    /** Messages received and not yet applied, per stream. */
    private static final int WINDOW = 32;

    private final StatusUpdater updater;
    private final int maxSnapshot;
    private final Map<String, Attached> attached = new ConcurrentHashMap<>();

    /** Creates the service; a snapshot of more than {@code maxSnapshot} connections is refused. */
    public EdgeLinkService(StatusUpdater updater, int maxSnapshot) {
        this.updater = updater;
        this.maxSnapshot = maxSnapshot;
    }

    /** Returns the edges attached here now, by edge id. */
    public Map<String, EdgeHello> attachedEdges() {
        Map<String, EdgeHello> edges = new java.util.HashMap<>();
        attached.forEach((id, stream) -> edges.put(id, stream.hello));
        return edges;
    }

    /**
     * Ends every stream attached here with UNAVAILABLE, so that each edge attaches again and
     * sends its full snapshot: used when the status store lost its data.
     */
    public void resyncAll(String reason) {
        attached.values().forEach(stream -> stream.end(Status.UNAVAILABLE.withDescription(reason)));
    }

    @Override
    public StreamObserver<EdgeMessage> attach(StreamObserver<ControlMessage> responseObserver) {
        ServerCallStreamObserver<ControlMessage> out = (ServerCallStreamObserver<ControlMessage>) responseObserver;
        out.disableAutoRequest();
        Attached stream = new Attached(out, PeerNames.current());
        out.setOnCancelHandler(stream::cancelled);
        out.request(WINDOW);
        return stream;
    }

    /** One edge's stream. Messages are chained on {@code tail}, so they apply in order. */
    private final class Attached implements StreamObserver<EdgeMessage> {
        private final ServerCallStreamObserver<ControlMessage> out;
        private final List<ConnectionInfo> snapshot = new ArrayList<>();
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private volatile EdgeHello hello;
        private volatile boolean ended;
        // The names of the edge's client certificate; null when the link has none (a cluster token, or open).
        private final Set<String> certificateNames;

        Attached(ServerCallStreamObserver<ControlMessage> out, Set<String> certificateNames) {
            this.out = out;
            this.certificateNames = certificateNames;
        }

        @Override
        public void onNext(EdgeMessage message) {
            synchronized (this) {
                tail = tail.thenCompose(ignored -> ended ? CompletableFuture.completedFuture(null) : apply(message))
                        .handle((ignored, error) -> {
                            if (error != null) {
                                // UNAVAILABLE whatever failed: the edge attaches again and re-sends its snapshot.
                                end(Status.UNAVAILABLE.withDescription(StoreFailures.status(error).getDescription()));
                            } else if (!ended) {
                                acknowledge(message.getSeq());
                            }
                            return null;
                        });
            }
        }

        private CompletionStage<?> apply(EdgeMessage message) {
            if (hello == null && message.getBodyCase() != EdgeMessage.BodyCase.HELLO) {
                end(Status.INVALID_ARGUMENT.withDescription("the first message must be hello, not " + message.getBodyCase()));
                return CompletableFuture.completedFuture(null);
            }
            switch (message.getBodyCase()) {
                case HELLO -> {
                    return onHello(message.getHello());
                }
                case SNAPSHOT -> {
                    snapshot.addAll(message.getSnapshot().getConnectionsList());
                    if (snapshot.size() > maxSnapshot) {
                        end(Status.RESOURCE_EXHAUSTED.withDescription("snapshot over " + maxSnapshot + " connections"));
                        return CompletableFuture.completedFuture(null);
                    }
                    if (!message.getSnapshot().getLast()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    List<ConnectionInfo> all = new ArrayList<>(snapshot);
                    snapshot.clear();
                    return updater.reconcile(hello.getEdgeId(), hello.getInstanceId(), all).thenAccept(result ->
                            log.info("edge {}: snapshot of {} connections applied ({} added, {} removed)",
                                    hello.getEdgeId(), all.size(), result.added(), result.removed()));
                }
                case CONNECTED -> {
                    return updater.connected(message.getConnected(), hello.getInstanceId());
                }
                case DISCONNECTED -> {
                    return updater.disconnected(message.getDisconnected().getConnection(),
                            message.getDisconnected().getCode(), message.getDisconnected().getReason());
                }
                default -> {
                    return CompletableFuture.completedFuture(null);
                }
            }
        }

        private CompletionStage<?> onHello(EdgeHello edge) {
            if (hello != null) {
                end(Status.INVALID_ARGUMENT.withDescription("a second hello"));
            } else if (edge.getEdgeId().isEmpty() || edge.getInstanceId().isEmpty()) {
                end(Status.INVALID_ARGUMENT.withDescription("hello: edge_id and instance_id are required"));
            } else if (certificateNames != null && !certificateNames.contains(edge.getEdgeId())) {
                // Whoever holds one edge's certificate must not rewrite the status of another edge's devices.
                log.warn("an attach as edge {} refused: the caller's certificate names {}",
                        Ids.quoted(edge.getEdgeId()), certificateNames);
                end(Status.PERMISSION_DENIED.withDescription("the client certificate does not name edge "
                        + Ids.quoted(edge.getEdgeId())));
            } else {
                hello = edge;
                Attached previous = attached.put(edge.getEdgeId(), this);
                if (previous != null && previous != this) {
                    previous.end(Status.ABORTED.withDescription("the edge attached again"));
                }
                log.info("edge {} ({}) attached", edge.getEdgeId(), edge.getGrpcAddress());
            }
            return CompletableFuture.completedFuture(null);
        }

        private void acknowledge(long seq) {
            synchronized (out) {
                if (!ended) {
                    out.onNext(ControlMessage.newBuilder().setAck(seq).build());
                    out.request(1);
                }
            }
        }

        void end(Status status) {
            synchronized (out) {
                if (ended) {
                    return;
                }
                ended = true;
                detach();
                log.warn("edge {}: EdgeLink ended: {}", hello == null ? "?" : hello.getEdgeId(), status);
                try {
                    out.onError(status.asException());
                } catch (IllegalStateException alreadyClosed) {
                    // The call ended on its own meanwhile.
                }
            }
        }

        void cancelled() {
            ended = true;
            detach();
        }

        private void detach() {
            if (hello != null) {
                attached.remove(hello.getEdgeId(), this);
            }
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
            detach();
            log.info("edge {}: EdgeLink broke: {}", hello == null ? "?" : hello.getEdgeId(), Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            synchronized (out) {
                ended = true;
                detach();
                out.onCompleted();
            }
        }
    }
}
