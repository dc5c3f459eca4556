package io.frontier.control.events;

import static java.util.Objects.requireNonNull;

import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.SendEventReply;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends connection events to every subscribed backend with {@code BackService.SendEvent}.
 *
 * <p>Each backend has its own bounded queue and receives its events one at a time, in the
 * order they were published, so that no backend hears of a disconnect before the connect it
 * ends. A call waits, within its deadline, for the backend to be reachable. A call that fails with a status a later try may cure (UNAVAILABLE, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNKNOWN) is tried again after a growing, jittered
 * wait; after the last try the event is logged and the next one goes. A backend that is slow
 * or down fills only its own queue: when it is full, its oldest waiting event is dropped.
 *
 * <p>{@link #publish} never blocks and may be called from any thread, event loops included.
 * Calls, retries and their timers run on one daemon thread that the notifier owns.
 */
public final class EventNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventNotifier.class);
    private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN);
    private static final long TERMINATION_WAIT_SECONDS = 5;

    private final EventNotifierConfig config;
    private final ScheduledExecutorService executor;
    private final List<Backend> backends;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MeterRegistry meters;

    /** Creates a notifier that reaches its backends over plaintext gRPC (Netty). */
    public EventNotifier(EventNotifierConfig config) {
        this(config, new CompositeMeterRegistry());
    }

    /** As above, counting each backend's events sent, dropped and failed in {@code meters}. */
    public EventNotifier(EventNotifierConfig config, MeterRegistry meters) {
        this(config, EventNotifier::openChannel, meters);
    }

    /** Creates a notifier that opens the channel of each backend target with {@code channels}; tests pass in-process ones. */
    EventNotifier(EventNotifierConfig config, Function<String, ManagedChannel> channels) {
        this(config, channels, new CompositeMeterRegistry());
    }

    private EventNotifier(EventNotifierConfig config, Function<String, ManagedChannel> channels, MeterRegistry meters) {
        this.meters = meters;
        this.config = requireNonNull(config, "config");
        requireNonNull(channels, "channels");
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "frontier-events");
            thread.setDaemon(true);
            return thread;
        });
        List<Backend> opened = new ArrayList<>();
        try {
            for (String target : config.backends()) {
                opened.add(new Backend(target, channels.apply(target)));
            }
        } catch (RuntimeException e) {
            opened.forEach(backend -> backend.channel.shutdownNow());
            executor.shutdownNow();
            throw e;
        }
        backends = List.copyOf(opened);
    }

    private static ManagedChannel openChannel(String target) {
        // Callbacks only hand work to the notifier's thread, so they may run on gRPC's own threads.
        return NettyChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
    }

    /**
     * Queues {@code event} for every backend and returns at once. Events published after
     * {@link #close()} began are ignored.
     */
    public void publish(ConnectionEvent event) {
        requireNonNull(event, "event");
        if (closed.get()) {
            return;
        }
        for (Backend backend : backends) {
            backend.offer(event);
        }
    }

    /** Returns how many events were dropped, over all backends, because a backend's queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Stops taking events, waits up to the configured close timeout for waiting events to go
     * out, then shuts the channels and the thread down and waits for them (5 s at most).
     * Events still waiting by then are dropped, with one log line per backend.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = false;
        long drainDeadline = System.nanoTime() + config.closeTimeout().toNanos();
        try {
            for (Backend backend : backends) {
                backend.awaitIdle(drainDeadline);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        executor.shutdownNow();
        backends.forEach(backend -> backend.channel.shutdownNow());
        try {
            executor.awaitTermination(TERMINATION_WAIT_SECONDS, TimeUnit.SECONDS);
            for (Backend backend : backends) {
                backend.channel.awaitTermination(TERMINATION_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (Backend backend : backends) {
            int unsent = backend.unsent();
            if (unsent > 0) {
                log.warn("event backend {}: closed with {} events not sent", backend.target, unsent);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the wait, in nanoseconds, before the try that follows {@code failedTries} failed
     * ones: the first backoff doubled for each earlier failure, capped, then varied by the
     * jitter fraction; {@code random} is uniform in [0, 1).
     */
    static long backoffNanos(EventNotifierConfig config, int failedTries, double random) {
        long max = config.maxBackoff().toNanos();
        long base = config.firstBackoff().toNanos();
        for (int i = 1; i < failedTries && base < max; i++) {
            // Stops at the cap before doubling could overflow.
            base = base > max / 2 ? max : base * 2;
        }
        double factor = 1 + config.jitter() * (2 * random - 1);
        return Math.min(max, (long) (base * factor));
    }

    /** Runs {@code task} on the notifier's thread; once closed, there is no thread and nothing left to do. */
    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: close() counts what was not sent.
        }
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }

    /** One subscribed backend: its channel, its queue, and the one event it is sending. */
    private final class Backend {
        private final String target;
        private final ManagedChannel channel;
        private final BackServiceGrpc.BackServiceStub stub;

        // Guarded by this, which is held only for a few queue operations and never across a call,
        // so that publishers on event loops never wait on a backend: the events waiting, whether
        // one is out (in flight or waiting to be tried again), and the drops since the sender last
        // took an event.
        private final ArrayDeque<ConnectionEvent> waiting = new ArrayDeque<>();
        private boolean sending;
        private long burstDrops;
        private final Counter sent;
        private final Counter droppedHere;
        private final Counter failedHere;

        Backend(String target, ManagedChannel channel) {
            this.target = target;
            this.channel = channel;
            this.stub = BackServiceGrpc.newStub(channel);
            this.sent = counter("sent");
            this.droppedHere = counter("dropped");
            this.failedHere = counter("failed");
        }

        private Counter counter(String result) {
            return Counter.builder("frontier.control.events")
                    .description("Connection events for a backend: sent, dropped from its full queue, failed after every try")
                    .tags("backend", target, "result", result).register(meters);
        }

        /** Queues {@code event}, dropping the oldest waiting one when full, and starts the sender when idle. */
        void offer(ConnectionEvent event) {
            boolean start;
            synchronized (this) {
                if (waiting.size() >= config.queueCapacity()) {
                    waiting.pollFirst();
                    burstDrops++;
                    dropped.incrementAndGet();
                    droppedHere.increment();
                }
                waiting.addLast(event);
                start = !sending;
                sending = true;
            }
            if (start) {
                run(this::sendNext);
            }
        }

        /** On the notifier's thread: sends the next waiting event, or marks the backend idle. */
        private void sendNext() {
            ConnectionEvent next;
            long drops;
            synchronized (this) {
                next = waiting.pollFirst();
                drops = burstDrops;
                burstDrops = 0;
                if (next == null) {
                    sending = false;
                    notifyAll();
                }
            }
            if (drops > 0) {
                // One line per burst: the drops since the sender last took an event.
                log.warn("event backend {}: queue full ({} events), dropped the {} oldest", target,
                        config.queueCapacity(), drops);
            }
            if (next != null) {
                send(next, 1);
            }
        }

        private void send(ConnectionEvent event, int tryNumber) {
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                // gRPC's own reconnect backoff (1 s, growing to 2 min) would otherwise hold this try back.
                channel.resetConnectBackoff();
            }
            // Waits for the backend to be reachable, within the call's deadline, rather than failing at once
            // while the channel is between two connection attempts: a backend back within a try's deadline
            // gets the event on that try.
            stub.withWaitForReady()
                    .withDeadlineAfter(config.callDeadline().toNanos(), TimeUnit.NANOSECONDS)
                    .sendEvent(event, new StreamObserver<>() {
                        @Override
                        public void onNext(SendEventReply reply) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            run(() -> failed(event, tryNumber, Status.fromThrowable(t)));
                        }

                        @Override
                        public void onCompleted() {
                            sent.increment();
                            run(Backend.this::sendNext);
                        }
                    });
        }

        private void failed(ConnectionEvent event, int tries, Status status) {
            if (tries < config.maxTries() && RETRYABLE.contains(status.getCode())) {
                long wait = backoffNanos(config, tries, ThreadLocalRandom.current().nextDouble());
                try {
                    executor.schedule(() -> send(event, tries + 1), wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // Closed while this event waited: close() counts it.
                }
                return;
            }
            failedHere.increment();
            log.warn("event backend {}: {} of conn {} not delivered after {} tries: {}", target, event.getKind(),
                    event.getConnection().getConnId(), tries, describe(status));
            sendNext();
        }

        synchronized void awaitIdle(long deadlineNanos) throws InterruptedException {
            long left = deadlineNanos - System.nanoTime();
            while (sending && left > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
                left = deadlineNanos - System.nanoTime();
            }
        }

        /** Returns the events waiting plus the one out, if any. */
        synchronized int unsent() {
            return waiting.size() + (sending ? 1 : 0);
        }
    }
}
