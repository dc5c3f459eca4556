package io.frontier.discovery;

import static io.frontier.discovery.EtcdCalls.unwrap;
import static io.frontier.discovery.LeasedRegistration.describe;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the entries of one kind and keeps a sink's view equal to etcd's.
 *
 * <p>It lists the entries, reports the difference to what the sink saw before, and watches
 * from the revision after the listing, so that nothing falls between the two. When the watch
 * breaks (etcd restarted, the history it needs was compacted, the connection was lost) it stops
 * jetcd's own resumption, which would go on from a revision that may no longer mean anything
 * (etcd restarted without its data starts counting again), and lists again after a backoff.
 *
 * <p>Everything runs on the watch's own thread, the sink included; an epoch number, bumped by
 * each listing and each break, tells callbacks of an abandoned jetcd watcher to do nothing.
 */
final class PrefixWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(PrefixWatch.class);

    /**
     * One change of an entry.
     *
     * @param value the new value of a put, the previous value of a delete
     */
    record Change(String id, byte[] value, boolean deleted) {
    }

    /** Receives changes on the watch's thread. */
    interface Sink {
        /**
         * Applies {@code changes}, in order.
         *
         * @param synced whether the changes end a listing, after which the sink has seen every entry
         */
        void accept(List<Change> changes, boolean synced);
    }

    private final EtcdCalls etcd;
    private final EtcdKeys keys;
    private final String kind;
    private final ByteSequence prefix;
    private final Sink sink;
    private final Backoff backoff;
    private final Consumer<PrefixWatch> onClosed;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    // confined to thread
    private Map<String, byte[]> known = new HashMap<>();
    private io.etcd.jetcd.Watch.Watcher watcher;
    private long epoch;
    private boolean failing;
    private ScheduledFuture<?> retry;

    PrefixWatch(EtcdCalls etcd, EtcdKeys keys, String kind, DiscoveryConfig config, Sink sink,
                Consumer<PrefixWatch> onClosed) {
        this.etcd = etcd;
        this.keys = keys;
        this.kind = kind;
        this.prefix = keys.prefix(kind);
        this.sink = sink;
        this.backoff = new Backoff(config.firstBackoff(), config.maxBackoff());
        this.onClosed = onClosed;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "frontier-discovery-watch-" + kind);
            t.setDaemon(true);
            return t;
        });
    }

    /** Lists the entries and starts watching; never blocks. */
    void start() {
        submit(this::list);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            submit(() -> {
                epoch++;
                if (retry != null) {
                    retry.cancel(false);
                }
                closeWatcher();
            });
            thread.shutdown();
            onClosed.accept(this);
        }
    }

    @Override
    public String toString() {
        return "Watch[" + prefix + (closed.get() ? ", closed" : "") + "]";
    }

    private void list() {
        retry = null;
        if (closed.get()) {
            return;
        }
        long my = ++epoch;
        closeWatcher();
        etcd.getPrefix(prefix).whenComplete((response, error) ->
                submit(() -> listed(my, response, error == null ? null : unwrap(error))));
    }

    private void listed(long my, GetResponse response, Throwable error) {
        if (my != epoch || closed.get()) {
            return;
        }
        if (error != null) {
            broken(my, "listing", error);
            return;
        }
        Map<String, byte[]> now = new TreeMap<>();
        for (KeyValue kv : response.getKvs()) {
            String id = keys.idOf(kind, kv.getKey());
            if (id != null) {
                now.put(id, kv.getValue().getBytes());
            }
        }
        List<Change> changes = new ArrayList<>();
        now.forEach((id, value) -> {
            if (!Arrays.equals(known.get(id), value)) {
                changes.add(new Change(id, value, false));
            }
        });
        new TreeMap<>(known).forEach((id, value) -> {
            if (!now.containsKey(id)) {
                changes.add(new Change(id, value, true));
            }
        });
        known = new HashMap<>(now);
        deliver(changes, true);
        long revision = response.getHeader().getRevision();
        try {
            watcher = etcd.watchPrefix(prefix, revision + 1, io.etcd.jetcd.Watch.listener(
                    events -> submit(() -> changed(my, events)),
                    failure -> submit(() -> broken(my, "watching", unwrap(failure))),
                    () -> submit(() -> broken(my, "watching", new IllegalStateException("the watch ended")))));
        } catch (RuntimeException e) {
            broken(my, "starting the watch", e);
            return;
        }
        if (failing) {
            log.info("watch of {} resumed at revision {}", prefix, revision + 1);
            failing = false;
        }
        backoff.reset();
    }

    private void changed(long my, WatchResponse response) {
        if (my != epoch || closed.get()) {
            return;
        }
        List<Change> changes = new ArrayList<>();
        for (WatchEvent event : response.getEvents()) {
            String id = keys.idOf(kind, event.getKeyValue().getKey());
            if (id == null) {
                continue;
            }
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                byte[] value = event.getKeyValue().getValue().getBytes();
                byte[] before = known.put(id, value);
                // a registration that came back with the same value changes nothing for the sink
                if (!Arrays.equals(before, value)) {
                    changes.add(new Change(id, value, false));
                }
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                byte[] before = known.remove(id);
                KeyValue prev = event.getPrevKV();
                byte[] previous = prev != null && !prev.getKey().isEmpty() ? prev.getValue().getBytes() : before;
                if (previous != null) {
                    changes.add(new Change(id, previous, true));
                }
            }
        }
        deliver(changes, false);
    }

    private void broken(long my, String what, Throwable error) {
        if (my != epoch || closed.get()) {
            return;
        }
        epoch++;
        closeWatcher();
        if (failing) {
            log.debug("watch of {}: {} failed again ({})", prefix, what, describe(error));
        } else {
            log.warn("watch of {}: {} failed ({}); listing again until etcd answers", prefix, what, describe(error));
            failing = true;
        }
        retry = thread.schedule(() -> guarded(this::list), backoff.nextNanos(), TimeUnit.NANOSECONDS);
    }

    private void deliver(List<Change> changes, boolean synced) {
        if ((changes.isEmpty() && !synced) || closed.get()) {
            return;
        }
        try {
            sink.accept(changes, synced);
        } catch (RuntimeException e) {
            log.warn("the listener of {} failed", prefix, e);
        }
    }

    private void closeWatcher() {
        if (watcher != null) {
            // jetcd calls the listener's onCompleted from here; the epoch already makes it a no-op
            watcher.close();
            watcher = null;
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // closed: nothing is delivered any more
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // the executor would swallow it silently
            log.error("watch of {}: unexpected failure", prefix, e);
        }
    }
}
