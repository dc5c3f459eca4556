package io.frontier.discovery;

import static io.frontier.discovery.EtcdCalls.unwrap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Registration} that keeps its entry under a lease of its own and registers again
 * whenever it loses it.
 *
 * <p>An attempt grants a lease, puts the entry with it and starts keeping the lease alive. The
 * registration takes its lease for lost, and makes a new attempt after a backoff, when the
 * keep-alive stream fails or ends, when an answer says the lease is gone (TTL 0: expired,
 * revoked, etcd restarted without its data), when no answer came for
 * {@link DiscoveryConfig#keepAliveStall()}, when an update's put fails, and when a check once per
 * TTL finds the entry missing or under another lease. A new attempt moves the entry to the new
 * lease in one put, so watchers see no gap; the replaced lease is revoked afterwards.
 *
 * <p>Every field but the flags is confined to the discovery's scheduler thread; jetcd's
 * callbacks only hand work to it. An epoch number, bumped by each attempt and by close, tells
 * callbacks of an older attempt to do nothing.
 */
final class LeasedRegistration implements Registration {
    private static final Logger log = LoggerFactory.getLogger(LeasedRegistration.class);

    private final EtcdCalls etcd;
    private final ScheduledExecutorService executor;
    private final ByteSequence key;
    private final String name;
    private final Supplier<byte[]> value;
    private final long ttlSeconds;
    private final long stallNanos;
    private final Duration operationTimeout;
    private final Backoff backoff;
    private final Consumer<LeasedRegistration> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean registered;

    // confined to executor
    private long epoch;
    private long leaseId;
    private long replacedLeaseId;
    private CloseableClient keepAlive;
    private long lastAnswerNanos;
    private long lastCheckNanos;
    private boolean putInFlight;
    private boolean checkInFlight;
    private boolean attemptWaitsForPut;
    private boolean failing;
    private long updatesRequested;
    private final NavigableMap<Long, CompletableFuture<Void>> pendingUpdates = new TreeMap<>();
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> watchdog;

    LeasedRegistration(EtcdCalls etcd, ScheduledExecutorService executor, DiscoveryConfig config, ByteSequence key,
                       String name, Supplier<byte[]> value, Consumer<LeasedRegistration> onClosed) {
        this.etcd = etcd;
        this.executor = executor;
        this.key = key;
        this.name = name;
        this.value = value;
        this.ttlSeconds = config.leaseTtl().toSeconds();
        this.stallNanos = config.keepAliveStall().toNanos();
        this.operationTimeout = config.operationTimeout();
        this.backoff = new Backoff(config.firstBackoff(), config.maxBackoff());
        this.onClosed = onClosed;
    }

    /** Makes the first attempt; later ones follow by themselves. */
    void start() {
        submit(() -> {
            long period = stallNanos / 4;
            watchdog = executor.scheduleWithFixedDelay(() -> guarded(this::watch), period, period, TimeUnit.NANOSECONDS);
            attempt();
        });
    }

    @Override
    public CompletableFuture<Void> update() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean accepted = submit(() -> {
            if (closed.get()) {
                done.completeExceptionally(closedError());
                return;
            }
            pendingUpdates.put(++updatesRequested, done);
            if (registered) {
                putCurrent();
            }
            // otherwise the attempt in flight, or the next one, publishes the value and completes it
        });
        if (!accepted) {
            done.completeExceptionally(closedError());
        }
        return done;
    }

    @Override
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true) && !submit(this::shutdown)) {
            closeFuture.complete(null);
        }
        return closeFuture;
    }

    @Override
    public void close() {
        try {
            closeAsync().get(operationTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("{}: close did not finish in time; the lease expires within its TTL", name, e);
        }
    }

    @Override
    public String toString() {
        return "Registration[" + name + (registered ? ", registered" : "") + (closed.get() ? ", closed" : "") + "]";
    }

    private void attempt() {
        retry = null;
        if (closed.get()) {
            return;
        }
        if (putInFlight) {
            // a put of the old lease landing after the new one would move the entry back to a lease that is revoked next
            attemptWaitsForPut = true;
            return;
        }
        long my = ++epoch;
        registered = false;
        closeKeepAlive();
        if (leaseId != 0) {
            replacedLeaseId = leaseId;
            leaseId = 0;
        }
        onThread(etcd.grant(ttlSeconds), (grant, error) -> granted(my, grant, error));
    }

    private void granted(long my, LeaseGrantResponse grant, Throwable error) {
        if (error != null) {
            failed(my, "granting a lease", error);
            return;
        }
        if (my != epoch || closed.get()) {
            revokeQuietly(grant.getID());
            return;
        }
        leaseId = grant.getID();
        putValue(unreadable -> failed(my, "reading the value to register", unreadable),
                (covers, putError) -> registeredWith(my, covers, putError));
    }

    private void registeredWith(long my, long covers, Throwable error) {
        if (my != epoch || closed.get()) {
            return;
        }
        if (error != null) {
            failed(my, "putting the entry", error);
            return;
        }
        try {
            keepAlive = etcd.keepAlive(leaseId, new KeepAliveObserver(my));
        } catch (RuntimeException e) {
            failed(my, "starting keep-alives", e);
            return;
        }
        long now = System.nanoTime();
        lastAnswerNanos = now;
        lastCheckNanos = now;
        registered = true;
        if (failing) {
            log.info("{}: registered again under lease {}", name, Long.toHexString(leaseId));
            failing = false;
        } else {
            log.debug("{}: registered under lease {}", name, Long.toHexString(leaseId));
        }
        if (replacedLeaseId != 0) {
            revokeQuietly(replacedLeaseId);
            replacedLeaseId = 0;
        }
        settleUpdates(covers);
    }

    /** Puts the current value under the current lease, for {@link #update()}; one put at a time, in order. */
    private void putCurrent() {
        if (putInFlight || !registered) {
            return;
        }
        long my = epoch;
        putValue(unreadable -> failUpdates(updatesRequested, unreadable), (covers, error) -> updated(my, covers, error));
    }

    private void updated(long my, long covers, Throwable error) {
        if (my != epoch || closed.get()) {
            return;
        }
        if (error != null) {
            lost(my, "an update's put failed (" + describe(error) + ")");
            return;
        }
        settleUpdates(covers);
    }

    /**
     * Reads the value and puts it under the current lease. {@code done} gets the last update the
     * value covers (it was read after that update was asked for) and the put's failure, if any.
     */
    private void putValue(Consumer<RuntimeException> unreadable, BiConsumer<Long, Throwable> done) {
        long covers = updatesRequested;
        byte[] current;
        try {
            current = currentValue();
        } catch (RuntimeException e) {
            unreadable.accept(e);
            return;
        }
        putInFlight = true;
        onThread(etcd.put(key, current, leaseId), (put, error) -> {
            putDone();
            done.accept(covers, error);
        });
    }

    /** Completes the updates that etcd now holds, and puts again for any asked for since. */
    private void settleUpdates(long covers) {
        completeUpdates(covers);
        if (!pendingUpdates.isEmpty()) {
            putCurrent();
        }
    }

    private void putDone() {
        putInFlight = false;
        if (attemptWaitsForPut) {
            attemptWaitsForPut = false;
            attempt();
        }
    }

    /** Runs on the watchdog's tick: a lease whose keep-alives went unanswered is lost; once per TTL the entry is checked. */
    private void watch() {
        if (!registered || closed.get()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastAnswerNanos > stallNanos) {
            lost(epoch, "no keep-alive answer for " + TimeUnit.NANOSECONDS.toMillis(now - lastAnswerNanos) + " ms");
        } else if (!checkInFlight && now - lastCheckNanos >= TimeUnit.SECONDS.toNanos(ttlSeconds)) {
            lastCheckNanos = now;
            checkInFlight = true;
            long my = epoch;
            onThread(etcd.get(key), (response, error) -> {
                checkInFlight = false;
                checked(my, response, error);
            });
        }
    }

    private void checked(long my, GetResponse response, Throwable error) {
        // a failed check proves nothing: keep-alives tell whether etcd can be reached
        if (error != null || my != epoch || !registered || closed.get() || putInFlight) {
            return;
        }
        List<KeyValue> kvs = response.getKvs();
        if (kvs.isEmpty()) {
            lost(my, "the entry was deleted");
        } else if (kvs.get(0).getLease() != leaseId) {
            lost(my, "the entry is under another lease (" + Long.toHexString(kvs.get(0).getLease()) + ")");
        }
    }

    private void keepAliveAnswered(long my, LeaseKeepAliveResponse answer) {
        if (my != epoch || closed.get()) {
            return;
        }
        if (answer.getTTL() <= 0) {
            lost(my, "etcd no longer knows lease " + Long.toHexString(answer.getID()));
            return;
        }
        lastAnswerNanos = System.nanoTime();
        // the lease works: a later loss starts from the first backoff again
        backoff.reset();
    }

    /** The lease of attempt {@code my} is gone or unusable: registers again after a backoff. */
    private void lost(long my, String reason) {
        if (my != epoch || closed.get()) {
            return;
        }
        log.warn("{}: {}; registering again under a new lease", name, reason);
        failing = true;
        retryLater(my);
    }

    private void failed(long my, String what, Throwable error) {
        if (my != epoch || closed.get()) {
            return;
        }
        if (failing) {
            log.debug("{}: {} failed again ({})", name, what, describe(error));
        } else {
            log.warn("{}: {} failed ({}); trying again until etcd answers", name, what, describe(error));
            failing = true;
        }
        retryLater(my);
    }

    private void retryLater(long my) {
        // callbacks of the lost attempt are ignored from here on
        epoch = my + 1;
        registered = false;
        closeKeepAlive();
        if (retry == null) {
            retry = executor.schedule(() -> guarded(this::attempt), backoff.nextNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void shutdown() {
        epoch++;
        registered = false;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        closeKeepAlive();
        failUpdates(Long.MAX_VALUE, closedError());
        onClosed.accept(this);
        List<CompletableFuture<?>> revokes = new ArrayList<>();
        for (long lease : new long[] {leaseId, replacedLeaseId}) {
            if (lease != 0) {
                revokes.add(etcd.revoke(lease));
            }
        }
        leaseId = 0;
        replacedLeaseId = 0;
        CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("{}: revoking the lease failed ({}); the entry disappears within the TTL", name,
                        describe(unwrap(error)));
            }
            closeFuture.complete(null);
        });
    }

    private byte[] currentValue() {
        byte[] current = value.get();
        if (current == null) {
            throw new IllegalStateException("the value supplier returned null");
        }
        return current;
    }

    private void completeUpdates(long covers) {
        NavigableMap<Long, CompletableFuture<Void>> done = pendingUpdates.headMap(covers, true);
        done.values().forEach(future -> future.complete(null));
        done.clear();
    }

    private void failUpdates(long covers, Throwable error) {
        NavigableMap<Long, CompletableFuture<Void>> failed = pendingUpdates.headMap(covers, true);
        failed.values().forEach(future -> future.completeExceptionally(error));
        failed.clear();
    }

    private void closeKeepAlive() {
        if (keepAlive != null) {
            keepAlive.close();
            keepAlive = null;
        }
    }

    private void revokeQuietly(long lease) {
        etcd.revoke(lease).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("{}: revoking replaced lease {} failed; it expires by itself", name, Long.toHexString(lease));
            }
        });
    }

    private IllegalStateException closedError() {
        return new IllegalStateException(name + ": the registration is closed");
    }

    private <T> void onThread(CompletableFuture<T> call, BiConsumer<T, Throwable> action) {
        call.whenComplete((result, error) -> submit(() -> action.accept(result, error == null ? null : unwrap(error))));
    }

    /** Runs {@code task} on the scheduler thread; returns false when discovery is closed. */
    private boolean submit(Runnable task) {
        try {
            executor.execute(() -> guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // the executor would swallow it, and a failed watchdog tick would end the watchdog
            log.error("{}: unexpected failure", name, e);
        }
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Hands jetcd's keep-alive callbacks, which run on its event loop, to the scheduler thread. */
    private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {
        private final long my;

        KeepAliveObserver(long my) {
            this.my = my;
        }

        @Override
        public void onNext(LeaseKeepAliveResponse answer) {
            submit(() -> keepAliveAnswered(my, answer));
        }

        @Override
        public void onError(Throwable error) {
            submit(() -> lost(my, "keep-alive failed (" + describe(unwrap(error)) + ")"));
        }

        @Override
        public void onCompleted() {
            submit(() -> lost(my, "keep-alives stopped"));
        }
    }
}
