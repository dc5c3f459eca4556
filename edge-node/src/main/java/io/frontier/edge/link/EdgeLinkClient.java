package io.frontier.edge.link;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.ControlMessage;
import io.frontier.api.v1.Disconnected;
import io.frontier.api.v1.EdgeHello;
import io.frontier.api.v1.EdgeLinkGrpc;
import io.frontier.api.v1.EdgeMessage;
import io.frontier.api.v1.Heartbeat;
import io.frontier.api.v1.Snapshot;
import io.frontier.edge.EdgeNode;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's end of EdgeLink: one stream to one control plane at a time. On every
 * attach it sends its hello, then a full snapshot of its connections, then each
 * connect and disconnect as it happens; it moves to another control plane when the
 * stream breaks.
 *
 * <p>Nothing is replayed after a break: the snapshot of the next attach covers every
 * event that was not acknowledged, and the control plane reconciles UserStatus with
 * it. The same holds when events come faster than the control plane applies them:
 * past {@code queueCapacity} queued events the edge drops the queue and re-attaches
 * with a snapshot, so memory stays bounded and nothing is lost.
 *
 * <p>Session events arrive on event loops and only enqueue; everything else runs on the
 * client's own thread, which owns the stream state.
 */
public final class EdgeLinkClient implements SessionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeLinkClient.class);

    private final EdgeLinkConfig config;
    private final SessionRegistry registry;
    private final Supplier<List<String>> controlPlanes;
    private final Function<String, ManagedChannel> channels;
    private final ScheduledExecutorService thread;
    private final ConcurrentLinkedQueue<EdgeMessage.Builder> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Counter reattaches;
    // When the control plane stopped having everything this edge sent or queued; 0 while it has it all.
    private volatile long behindSinceNanos = System.nanoTime();

    // Client thread only.
    private Stream stream;
    private String lastTarget;
    private long backoffMillis;
    private boolean closed;

    /** Creates the link of {@code edge}, whose sessions it reports; {@link #start()} attaches it. */
    public EdgeLinkClient(EdgeLinkConfig config, EdgeNode edge, Supplier<List<String>> controlPlanes,
                          Function<String, ManagedChannel> channels) {
        this.config = config;
        this.registry = edge.registry();
        this.controlPlanes = controlPlanes;
        this.channels = channels;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontier-edgelink");
            t.setDaemon(true);
            return t;
        });
        this.backoffMillis = config.minBackoff().toMillis();
        MeterRegistry meters = edge.meters();
        Gauge.builder("frontier.edge.link.queued", queued, AtomicInteger::get)
                .description("Connection events waiting to be sent to the control plane")
                .baseUnit("events").register(meters);
        Gauge.builder("frontier.edge.link.lag", this, EdgeLinkClient::lagSeconds)
                .description("How long the control plane has been without some of the edge's events (0: it has them all)")
                .baseUnit("seconds").register(meters);
        Gauge.builder("frontier.edge.link.synced", this, link -> link.isSynced() ? 1 : 0)
                .description("1 while a stream is attached and its snapshot acknowledged").register(meters);
        reattaches = Counter.builder("frontier.edge.link.reattaches")
                .description("Streams to a control plane that ended and are attached again").register(meters);
    }

    private double lagSeconds() {
        long since = behindSinceNanos;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }

    /** Notes whether the control plane has all that was sent and queued. Client thread only. */
    private void noteLag() {
        Stream current = stream;
        boolean behind = current == null || !current.snapshotAcked || queued.get() > 0
                || !current.outbound.isEmpty() || current.ackedSeq < current.sentSeq;
        if (!behind) {
            behindSinceNanos = 0;
        } else if (behindSinceNanos == 0) {
            behindSinceNanos = System.nanoTime();
        }
    }

    /** Starts attaching; returns at once. */
    public void start() {
        run(this::attach);
        thread.scheduleWithFixedDelay(() -> {
            // Only on a stream that keeps up: a stalled one must not pile up heartbeats or snapshots.
            if (stream != null && stream.helloSent && stream.outbound.isEmpty()) {
                stream.outbound.add(EdgeMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setTimeMs(System.currentTimeMillis()).setConnections(registry.size())));
                drain();
            }
        }, config.heartbeat().toMillis(), config.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> {
            if (stream != null && stream.snapshotAcked && stream.outbound.isEmpty()) {
                stream.snapshot();
                drain();
            }
        }, config.resync().toMillis(), config.resync().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Returns whether a stream is open and its snapshot was acknowledged. */
    public boolean isSynced() {
        Stream current = stream;
        return current != null && current.snapshotAcked;
    }

    /** Returns the control plane the current or last stream went to. */
    public String target() {
        return lastTarget;
    }

    @Override
    public void onConnected(Session session) {
        enqueue(EdgeMessage.newBuilder().setConnected(session.info(config.edgeId())));
    }

    @Override
    public void onDisconnected(Session session, int code, String reason) {
        enqueue(EdgeMessage.newBuilder().setDisconnected(Disconnected.newBuilder()
                .setConnection(session.info(config.edgeId())).setCode(code).setReason(reason)));
    }

    private void enqueue(EdgeMessage.Builder event) {
        if (queued.incrementAndGet() > config.queueCapacity()) {
            queued.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                log.warn("edgelink: more than {} events waiting; re-attaching with a snapshot", config.queueCapacity());
                run(() -> restart("event queue full"));
            }
            return;
        }
        events.add(event);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            run(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: the edge is stopping.
        }
    }

    private void attach() {
        if (closed || stream != null) {
            return;
        }
        List<String> targets = controlPlanes.get();
        if (targets.isEmpty()) {
            log.warn("edgelink: no control plane is registered; trying again in {} ms", backoffMillis);
            retryLater();
            return;
        }
        String target = pick(targets);
        lastTarget = target;
        Stream next = new Stream(target);
        stream = next;
        try {
            EdgeLinkGrpc.newStub(channels.apply(target)).attach(next);
        } catch (RuntimeException e) {
            next.fail("cannot open a stream to " + target + ": " + e);
        }
    }

    /** Prefers a control plane other than the one that just failed, when there is one. */
    private String pick(List<String> targets) {
        List<String> others = new ArrayList<>(targets);
        if (others.size() > 1) {
            others.remove(lastTarget);
        }
        return others.get(ThreadLocalRandom.current().nextInt(others.size()));
    }

    private void retryLater() {
        long wait = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(backoffMillis * 2, config.maxBackoff().toMillis());
        thread.schedule(this::attach, wait, TimeUnit.MILLISECONDS);
    }

    private void restart(String reason) {
        if (stream != null) {
            stream.cancel(reason);
        } else {
            overflowed.set(false);
        }
    }

    /** Sends what the stream can take now: snapshot first, then queued events, within the window. */
    private void drain() {
        Stream current = stream;
        if (current == null || current.requests == null || !current.helloSent) {
            return;
        }
        while (current.requests.isReady() && current.sentSeq - current.ackedSeq < config.window()) {
            EdgeMessage.Builder next = current.outbound.poll();
            if (next == null) {
                next = events.poll();
                if (next == null) {
                    break;
                }
                queued.decrementAndGet();
            }
            current.send(next);
        }
        noteLag();
    }

    @Override
    public void close() {
        try {
            thread.submit(() -> {
                closed = true;
                if (stream != null) {
                    stream.requests.onCompleted();
                    stream = null;
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("edgelink: close did not finish cleanly", e);
        }
        thread.shutdownNow();
    }

    /** One attach: its seq numbers, what waits to be sent, what was acknowledged. Client thread only. */
    private final class Stream implements ClientResponseObserver<EdgeMessage, ControlMessage> {
        private final String target;
        private final ArrayDeque<EdgeMessage.Builder> outbound = new ArrayDeque<>();
        private ClientCallStreamObserver<EdgeMessage> requests;
        private boolean helloSent;
        private boolean ended;
        private long sentSeq;
        private long ackedSeq;
        private long snapshotLastSeq = -1;
        private volatile boolean snapshotAcked;

        Stream(String target) {
            this.target = target;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<EdgeMessage> requestStream) {
            requests = requestStream;
            requestStream.setOnReadyHandler(() -> run(this::onReady));
        }

        private void onReady() {
            if (stream != this || ended) {
                return;
            }
            if (!helloSent) {
                begin();
            }
            drain();
        }

        /** Hello, then the snapshot. */
        private void begin() {
            helloSent = true;
            outbound.add(EdgeMessage.newBuilder().setHello(EdgeHello.newBuilder()
                    .setEdgeId(config.edgeId())
                    .setInstanceId(config.instanceId())
                    .setGrpcAddress(config.grpcAddress())
                    .setVersion(config.version())));
            snapshot();
            log.info("edgelink: attached to {} with a snapshot of {} connections", target, registry.size());
        }

        /**
         * Queues a full snapshot. Events queued before now are in it (the registry changes
         * before a session event is queued), so they are dropped.
         */
        void snapshot() {
            int dropped = 0;
            while (events.poll() != null) {
                dropped++;
            }
            queued.addAndGet(-dropped);
            overflowed.set(false);
            List<ConnectionInfo> chunk = new ArrayList<>(config.snapshotChunk());
            registry.forEach(session -> {
                chunk.add(session.info(config.edgeId()));
                if (chunk.size() == config.snapshotChunk()) {
                    outbound.add(EdgeMessage.newBuilder().setSnapshot(Snapshot.newBuilder().addAllConnections(chunk)));
                    chunk.clear();
                }
            });
            outbound.add(EdgeMessage.newBuilder().setSnapshot(Snapshot.newBuilder().addAllConnections(chunk).setLast(true)));
            if (snapshotLastSeq < 0) {
                snapshotLastSeq = sentSeq + outbound.size();
            }
        }

        void send(EdgeMessage.Builder message) {
            sentSeq++;
            requests.onNext(message.setSeq(sentSeq).build());
        }

        @Override
        public void onNext(ControlMessage message) {
            run(() -> {
                if (stream != this) {
                    return;
                }
                switch (message.getBodyCase()) {
                    case ACK -> {
                        ackedSeq = Math.max(ackedSeq, message.getAck());
                        if (!snapshotAcked && ackedSeq >= snapshotLastSeq && snapshotLastSeq > 0) {
                            snapshotAcked = true;
                            backoffMillis = config.minBackoff().toMillis();
                        }
                        drain();
                    }
                    default -> {
                    }
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            run(() -> fail(Status.fromThrowable(t).toString()));
        }

        @Override
        public void onCompleted() {
            run(() -> fail("control plane ended the stream"));
        }

        void cancel(String reason) {
            if (requests != null) {
                requests.cancel(reason, null);
            }
            fail(reason);
        }

        void fail(String reason) {
            if (ended) {
                return;
            }
            ended = true;
            if (stream == this) {
                stream = null;
                noteLag();
                if (!closed) {
                    reattaches.increment();
                    log.warn("edgelink: stream to {} ended ({}); re-attaching", target, reason);
                    retryLater();
                }
            }
        }
    }
}
