package io.frontier.status.pending;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pending store of a standalone gateway, in its memory. A device's queue changes only inside {@link
 * ConcurrentHashMap#compute} of its key, so each change is atomic without a lock of its own, and a queue that
 * empties is removed. Places come from one counter, so a device's places only grow, even across an empty queue.
 * Deadlines are kept in one sorted set: {@link #expire} reads only the messages due.
 */
public final class InMemoryPendingStore implements PendingStore {
    private static final Comparator<Deadline> EARLIEST = Comparator.comparingLong(Deadline::atMs)
            .thenComparing(deadline -> deadline.device().userId())
            .thenComparing(deadline -> deadline.device().deviceId())
            .thenComparingLong(Deadline::seq);

    private final PendingLimits limits;
    private final ConcurrentHashMap<DeviceId, Queue> queues = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Deadline> deadlines = new ConcurrentSkipListSet<>(EARLIEST);
    private final AtomicLong places = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public InMemoryPendingStore(PendingLimits limits) {
        this.limits = limits;
    }

    @Override
    public CompletionStage<KeepResult> keep(DeviceId device, PendingMessage message) {
        long size = message.size();
        KeepResult[] result = new KeepResult[1];
        RuntimeException[] refused = new RuntimeException[1];
        queues.compute(device, (key, queue) -> {
            Queue q = queue != null ? queue : new Queue();
            PendingMessage existing = q.byId.get(message.messageId());
            if (existing != null) {
                result[0] = new KeepResult(existing, true, List.of());
                return q;
            }
            if (bytes.addAndGet(size) > limits.maxBytes()) {
                bytes.addAndGet(-size);
                refused[0] = new PendingStoreFullException("the pending store holds its most " + limits.maxBytes()
                        + " bytes");
                return q.bySeq.isEmpty() ? null : q;
            }
            List<Receipt> gone = new ArrayList<>(1);
            if (!message.collapseKey().isEmpty()) {
                String older = q.byCollapseKey.get(message.collapseKey());
                if (older != null) {
                    gone.add(new Receipt(device, older, Receipt.Kind.COLLAPSED, message.acceptedAtMs()));
                    remove(device, q, q.byId.get(older));
                }
            }
            if (q.bySeq.size() >= limits.maxPerDevice()) {
                PendingMessage oldest = q.bySeq.firstEntry().getValue();
                gone.add(new Receipt(device, oldest.messageId(), Receipt.Kind.DROPPED, message.acceptedAtMs()));
                remove(device, q, oldest);
            }
            PendingMessage kept = message.at(places.incrementAndGet());
            q.add(kept);
            deadlines.add(new Deadline(kept.expiresAtMs(), device, kept.seq(), kept.messageId()));
            result[0] = new KeepResult(kept, false, gone);
            return q;
        });
        return refused[0] != null ? CompletableFuture.failedFuture(refused[0])
                : CompletableFuture.completedFuture(result[0]);
    }

    @Override
    public CompletionStage<List<PendingMessage>> pending(DeviceId device, long afterSeq, int limit) {
        List<PendingMessage> found = new ArrayList<>();
        queues.computeIfPresent(device, (key, q) -> {
            for (PendingMessage message : q.bySeq.tailMap(afterSeq, false).values()) {
                if (found.size() >= limit) {
                    break;
                }
                found.add(message);
            }
            return q;
        });
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Optional<PendingMessage>> acknowledge(DeviceId device, String messageId) {
        PendingMessage[] removed = new PendingMessage[1];
        queues.computeIfPresent(device, (key, q) -> {
            PendingMessage message = q.byId.get(messageId);
            if (message != null) {
                removed[0] = message;
                remove(device, q, message);
            }
            return q.bySeq.isEmpty() ? null : q;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(removed[0]));
    }

    @Override
    public CompletionStage<Optional<PendingMessage>> find(DeviceId device, String messageId) {
        PendingMessage[] found = new PendingMessage[1];
        queues.computeIfPresent(device, (key, q) -> {
            found[0] = q.byId.get(messageId);
            return q;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(found[0]));
    }

    @Override
    public CompletionStage<List<Receipt>> expire(long nowMs, int max) {
        List<Receipt> expired = new ArrayList<>();
        while (expired.size() < max) {
            Deadline due = deadlines.isEmpty() ? null : deadlines.first();
            if (due == null || due.atMs() > nowMs) {
                break;
            }
            queues.computeIfPresent(due.device(), (key, q) -> {
                PendingMessage message = q.byId.get(due.messageId());
                if (message != null && message.seq() == due.seq()) {
                    expired.add(new Receipt(due.device(), due.messageId(), Receipt.Kind.EXPIRED, nowMs));
                    remove(due.device(), q, message);
                }
                return q.bySeq.isEmpty() ? null : q;
            });
            // Removed with its message above, or already gone with an ack, a collapse or a drop.
            deadlines.remove(due);
        }
        return CompletableFuture.completedFuture(expired);
    }

    /** Returns the bytes kept now, as the bound in all counts them. */
    long bytes() {
        return bytes.get();
    }

    private void remove(DeviceId device, Queue q, PendingMessage message) {
        q.remove(message);
        deadlines.remove(new Deadline(message.expiresAtMs(), device, message.seq(), message.messageId()));
        bytes.addAndGet(-message.size());
    }

    @Override
    public void close() {
        queues.clear();
        deadlines.clear();
        bytes.set(0);
    }

    /** One device's messages; changed only inside the map's compute of its key. */
    private static final class Queue {
        final TreeMap<Long, PendingMessage> bySeq = new TreeMap<>();
        final Map<String, PendingMessage> byId = new HashMap<>();
        final Map<String, String> byCollapseKey = new HashMap<>();

        void add(PendingMessage message) {
            bySeq.put(message.seq(), message);
            byId.put(message.messageId(), message);
            if (!message.collapseKey().isEmpty()) {
                byCollapseKey.put(message.collapseKey(), message.messageId());
            }
        }

        void remove(PendingMessage message) {
            bySeq.remove(message.seq());
            byId.remove(message.messageId());
            if (!message.collapseKey().isEmpty()) {
                byCollapseKey.remove(message.collapseKey(), message.messageId());
            }
        }
    }

    private record Deadline(long atMs, DeviceId device, long seq, String messageId) {
    }
}
