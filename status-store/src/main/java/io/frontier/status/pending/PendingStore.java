package io.frontier.status.pending;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The messages kept for devices until acknowledged or expired (PROTOCOL.md 5). Per device a queue in the order
 * the messages were kept, each message once per id; at most {@link PendingLimits#maxPerDevice()} per device (the
 * oldest goes) and {@link PendingLimits#maxBytes()} in all (one more is refused). Expiry needs no scan of every
 * device: {@link #expire} takes the messages due, oldest deadline first. Thread-safe; every call may complete on
 * another thread.
 */
public interface PendingStore extends AutoCloseable {

    /**
     * Keeps {@code message} at the end of {@code device}'s queue and gives it its place; a message of the same id
     * kept already stays as it was ({@link KeepResult#duplicate()}). A waiting message with the same non-empty
     * collapse key goes, then the oldest when the device holds its maximum. Fails with {@link
     * PendingStoreFullException} when the store holds its most bytes.
     */
    CompletionStage<KeepResult> keep(DeviceId device, PendingMessage message);

    /** Returns up to {@code limit} messages of {@code device} after place {@code afterSeq}, oldest first. */
    CompletionStage<List<PendingMessage>> pending(DeviceId device, long afterSeq, int limit);

    /** Removes the acknowledged message {@code messageId} of {@code device}; returns it, or empty when not kept. */
    CompletionStage<Optional<PendingMessage>> acknowledge(DeviceId device, String messageId);

    /** Returns the message {@code messageId} of {@code device} while it is kept. */
    CompletionStage<Optional<PendingMessage>> find(DeviceId device, String messageId);

    /**
     * Removes up to {@code max} messages whose deadline is at or before {@code nowMs}, earliest deadline first, and
     * returns their receipts.
     */
    CompletionStage<List<Receipt>> expire(long nowMs, int max);

    @Override
    void close();
}
