package io.frontier.status;

import io.frontier.api.v1.ClientType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.ConstantDelay;

/**
 * The device reads of {@link RedisUserStatus}, sent to Redis a batch at a time. A read waits in a bounded
 * queue while {@link #BATCHES_IN_FLIGHT} batches are in flight; each batch that completes sends what
 * gathered meanwhile. A lone read goes at once, and under load Redisson's cost per command (a pooled
 * connection, a timeout, a write and a wake-up of its Netty thread) and the epoch check are paid per batch
 * instead of per read, so the batches grow with the load rather than the commands in flight.
 *
 * <p>A read is {@code HGETALL} (or {@code HGET} of one device) of each hash it asks for; the two hashes of
 * a user are read one after the other in one batch, not atomically, which changes nothing: no update
 * spans both. Reads complete on Redisson's threads, all of a batch on the thread that read its reply.
 */
final class DeviceReads {
    private static final ClientType[] FAMILIES = {ClientType.CLIENT_TYPE_TCP, ClientType.CLIENT_TYPE_WS};

    /**
     * Batches in flight at most: two, so that Redis works on one while this process writes the next or
     * reads the last one's reply; more would only make smaller batches for the same single-threaded Redis.
     */
    static final int BATCHES_IN_FLIGHT = 2;
    /** Reads per batch at most (two commands each, and one for the epoch), so that one reply stays small. */
    static final int MAX_BATCH = 256;
    /**
     * Reads waiting at most; one more fails at once as unavailable. Far above what the Push API lets in
     * (10,000 calls in flight by default), so it is met only by a Redis that stopped answering.
     */
    static final int MAX_WAITING = 32_768;

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final Codec hashCodec;
    private final BatchOptions options;
    private final Supplier<String> expectedEpoch;
    private final Queue<Read> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();

    /**
     * Creates the reads of a store; {@code expectedEpoch} gives the epoch a batch's data must belong to, or
     * null when there is none to check yet.
     */
    DeviceReads(RedissonClient redisson, RedisKeys keys, Codec hashCodec, RedisStatusConfig config,
                Supplier<String> expectedEpoch) {
        this.redisson = redisson;
        this.keys = keys;
        this.hashCodec = hashCodec;
        this.options = BatchOptions.defaults()
                .responseTimeout(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryAttempts(config.retryAttempts())
                .retryDelay(new ConstantDelay(config.retryDelay()));
        this.expectedEpoch = expectedEpoch;
    }

    /** Reads the user's entries in the hashes of {@code families}, of one device unless {@code deviceId} is null. */
    CompletableFuture<List<DeviceEntry>> read(String userId, Set<ClientType> families, String deviceId) {
        if (waitingCount.incrementAndGet() > MAX_WAITING) {
            waitingCount.decrementAndGet();
            return CompletableFuture.failedFuture(new StatusStoreUnavailableException(
                    "too many reads waiting for Redis", null));
        }
        Read read = new Read(userId, asked(families), deviceId);
        waiting.add(read);
        sendWhileRoom();
        return read.result;
    }

    private static ClientType[] asked(Set<ClientType> families) {
        int count = 0;
        ClientType[] asked = new ClientType[FAMILIES.length];
        for (ClientType family : FAMILIES) {
            if (families.contains(family)) {
                asked[count++] = family;
            }
        }
        return count == asked.length ? asked : Arrays.copyOf(asked, count);
    }

    /** Returns how many batches were sent so far. */
    long batches() {
        return batches.get();
    }

    /**
     * Sends batches while some wait and fewer than the maximum are in flight. Whoever adds a read or ends a
     * batch calls it after doing so, so a read never waits with no batch to come.
     */
    private void sendWhileRoom() {
        while (!waiting.isEmpty()) {
            int sending = inFlight.get();
            if (sending >= BATCHES_IN_FLIGHT) {
                return;
            }
            if (!inFlight.compareAndSet(sending, sending + 1)) {
                continue;
            }
            List<Read> batch = take();
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch);
        }
    }

    private List<Read> take() {
        List<Read> batch = new ArrayList<>(Math.min(MAX_BATCH, waitingCount.get()));
        Read read;
        while (batch.size() < MAX_BATCH && (read = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            batch.add(read);
        }
        return batch;
    }

    /** Sends one batch, which holds a place among those in flight, and completes its reads with the replies. */
    private void send(List<Read> batch) {
        batches.incrementAndGet();
        String epoch = expectedEpoch.get();
        CompletableFuture<BatchResult<?>> replies;
        try {
            RBatch commands = redisson.createBatch(options);
            if (epoch != null) {
                // Once per batch, beside the reads: the check costs no round trip and no command per read.
                commands.getBucket(keys.epoch(), StringCodec.INSTANCE).getAsync();
            }
            for (Read read : batch) {
                read.queue(commands);
            }
            replies = commands.executeAsync().toCompletableFuture();
        } catch (RuntimeException e) {
            // Redisson throws at once when it is shutting down or has no connection to offer.
            replies = CompletableFuture.failedFuture(e);
        }
        replies.whenComplete((result, error) -> {
            // The next batch first: Redis works on it while this thread runs the callers' stages.
            inFlight.decrementAndGet();
            sendWhileRoom();
            try {
                complete(batch, epoch, result, error);
            } catch (RuntimeException e) {
                // A reply of an unexpected shape: the reads it left fail rather than wait for nothing.
                failAll(batch, RedisFailures.translate(e));
            }
        });
    }

    private static void complete(List<Read> batch, String epoch, BatchResult<?> result, Throwable error) {
        if (error != null) {
            failAll(batch, RedisFailures.translate(error));
            return;
        }
        List<?> responses = result.getResponses();
        int next = 0;
        if (epoch != null && !epoch.equals(responses.get(next++))) {
            failAll(batch, new StatusStoreUnavailableException(
                    "Redis lost its data: edges are reporting their connections again", null));
            return;
        }
        for (Read read : batch) {
            next = read.complete(responses, next);
        }
    }

    /** Fails the reads of {@code batch} that are not complete yet. */
    private static void failAll(List<Read> batch, RuntimeException failure) {
        for (Read read : batch) {
            read.result.completeExceptionally(failure);
        }
    }

    /** One caller's read: the commands it adds to a batch and how it reads their replies. */
    private final class Read {
        final String userId;
        final ClientType[] families;
        final String deviceId;
        final CompletableFuture<List<DeviceEntry>> result = new CompletableFuture<>();

        Read(String userId, ClientType[] families, String deviceId) {
            this.userId = userId;
            this.families = families;
            this.deviceId = deviceId;
        }

        void queue(RBatch commands) {
            for (ClientType family : families) {
                RMapAsync<String, byte[]> hash = commands.getMap(keys.user(userId, family), hashCodec);
                if (deviceId == null) {
                    hash.readAllMapAsync();
                } else {
                    hash.getAsync(deviceId);
                }
            }
        }

        /** Completes this read from the replies at {@code from}; returns the index of the next read's first reply. */
        int complete(List<?> replies, int from) {
            try {
                List<DeviceEntry> entries = new ArrayList<>(families.length);
                for (int i = 0; i < families.length; i++) {
                    Object reply = replies.get(from + i);
                    if (deviceId == null) {
                        for (Map.Entry<?, ?> field : ((Map<?, ?>) reply).entrySet()) {
                            entries.add(RedisEntryCodec.decodeEntry(userId, families[i], (String) field.getKey(),
                                    (byte[]) field.getValue()));
                        }
                    } else if (reply != null) {
                        entries.add(RedisEntryCodec.decodeEntry(userId, families[i], deviceId, (byte[]) reply));
                    }
                }
                entries.sort(DeviceEntry.WITHIN_USER);
                result.complete(List.copyOf(entries));
            } catch (RuntimeException e) {
                result.completeExceptionally(RedisFailures.translate(e));
            }
            return from + families.length;
        }
    }
}
