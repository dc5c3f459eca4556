package io.frontier.status.pending;

import com.google.protobuf.ByteString;
import io.frontier.status.RedisFailures;
import io.frontier.status.RedisStatusConfig;
import io.frontier.status.RedissonSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RScript.Mode;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * The pending store of a cluster, in Redis (or Redis Cluster): every key of a user's messages carries the
 * user's hash tag, as UserStatus's do, so each change is one Lua script on one slot. A device's queue is a
 * sorted set of ids by place, a hash of the messages' bytes, and the hashes of collapse keys; a user's
 * deadlines are one sorted set. Expiry reads no device that has nothing due: users with deadlines are
 * recorded, by their earliest, in {@link #SHARDS} sorted sets, and {@link #expire} reads only those due.
 *
 * <p>Redis's own {@code maxmemory} bounds the bytes in all: a keep that Redis refuses for memory fails with
 * {@link PendingStoreFullException}, so run it with {@code maxmemory-policy noeviction}. Every key lives at most
 * {@code keyTtl} past its last keep (the longest time to live and a margin), so nothing a missed expiry left
 * stays for ever. Ids of devices and messages hold no line feed (the API refuses control characters).
 */
public final class RedisPendingStore implements PendingStore {
    /** Shards of the users with deadlines: each a sorted set of its own slot, read by {@link #expire}. */
    static final int SHARDS = 16;
    private static final String KEEP = script("keep.lua");
    private static final String ACK = script("ack.lua");
    private static final String READ = script("read.lua");
    private static final String EXPIRE = script("expire.lua");
    private static final String DUE_LOWER = script("due-lower.lua");
    private static final String DUE_SETTLE = script("due-settle.lua");
    private static final byte LAYOUT = '1';

    private final RedissonClient redisson;
    private final boolean ownsRedisson;
    private final RScript scripts;
    private final String prefix;
    private final byte[] keyTtlMs;
    private final byte[] maxPerDevice;

    RedisPendingStore(RedissonClient redisson, boolean ownsRedisson, String prefix, PendingLimits limits,
                      Duration keyTtl) {
        this.redisson = redisson;
        this.ownsRedisson = ownsRedisson;
        this.scripts = redisson.getScript(ByteArrayCodec.INSTANCE);
        this.prefix = prefix;
        this.keyTtlMs = utf8(Long.toString(keyTtl.toMillis()));
        this.maxPerDevice = utf8(Integer.toString(limits.maxPerDevice()));
    }

    /**
     * Returns a store on the Redis {@code config} names, under its key prefix, whose keys live {@code keyTtl}
     * past their last keep; it connects lazily, as the status store does.
     */
    public static RedisPendingStore connect(RedisStatusConfig config, PendingLimits limits, Duration keyTtl) {
        Objects.requireNonNull(config, "config");
        return new RedisPendingStore(Redisson.create(RedissonSettings.of(config)), true, config.keyPrefix(), limits,
                keyTtl);
    }

    @Override
    public CompletionStage<KeepResult> keep(DeviceId device, PendingMessage message) {
        String base = base(device.userId());
        return guard(() -> this.<List<Object>>eval(base + "dl", Mode.READ_WRITE, KEEP, ReturnType.LIST,
                utf8(base), utf8(device.deviceId()), utf8(message.messageId()), encode(message),
                utf8(message.collapseKey()), utf8(Long.toString(message.expiresAtMs())), maxPerDevice, keyTtlMs)
                .thenCompose(reply -> {
                    if (number(reply.get(0)) == 1) {
                        return CompletableFuture.completedFuture(new KeepResult(
                                decode(message.messageId(), number(reply.get(1)), (byte[]) reply.get(2)), true,
                                List.of()));
                    }
                    List<Receipt> gone = new ArrayList<>();
                    for (int i = 2; i + 1 < reply.size(); i += 2) {
                        Receipt.Kind kind = text(reply.get(i)).equals("C") ? Receipt.Kind.COLLAPSED
                                : Receipt.Kind.DROPPED;
                        gone.add(new Receipt(device, text(reply.get(i + 1)), kind, message.acceptedAtMs()));
                    }
                    KeepResult kept = new KeepResult(message.at(number(reply.get(1))), false, gone);
                    return this.<Object>eval(shard(device.userId()), Mode.READ_WRITE, DUE_LOWER, ReturnType.LONG,
                            utf8(device.userId()), utf8(Long.toString(message.expiresAtMs())))
                            .thenApply(ignored -> kept);
                }));
    }

    @Override
    public CompletionStage<List<PendingMessage>> pending(DeviceId device, long afterSeq, int limit) {
        if (limit <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return read(device, afterSeq, limit, "");
    }

    @Override
    public CompletionStage<Optional<PendingMessage>> acknowledge(DeviceId device, String messageId) {
        String base = base(device.userId());
        return guard(() -> this.<List<Object>>eval(base + "dl", Mode.READ_WRITE, ACK, ReturnType.LIST, utf8(base),
                utf8(device.deviceId()), utf8(messageId))
                .thenApply(reply -> reply == null || reply.isEmpty() ? Optional.<PendingMessage>empty()
                        : Optional.of(decode(messageId, number(reply.get(0)), (byte[]) reply.get(1)))));
    }

    @Override
    public CompletionStage<Optional<PendingMessage>> find(DeviceId device, String messageId) {
        return read(device, 0, 1, messageId).thenApply(found -> found.stream().findFirst());
    }

    private CompletionStage<List<PendingMessage>> read(DeviceId device, long afterSeq, int limit, String messageId) {
        String base = base(device.userId());
        return guard(() -> this.<List<Object>>eval(base + "dl", Mode.READ_ONLY, READ, ReturnType.LIST, utf8(base),
                utf8(device.deviceId()), utf8(Long.toString(afterSeq)), utf8(Integer.toString(limit)),
                utf8(messageId))
                .thenApply(reply -> {
                    List<PendingMessage> found = new ArrayList<>(reply.size() / 3);
                    for (int i = 0; i + 2 < reply.size(); i += 3) {
                        found.add(decode(text(reply.get(i)), number(reply.get(i + 1)), (byte[]) reply.get(i + 2)));
                    }
                    return found;
                }));
    }

    /**
     * {@inheritDoc} Reads the shards in turn, each for its users due by {@code nowMs}, and expires each such user's
     * due messages in one script; a user's place in its shard then moves to its next deadline.
     */
    @Override
    public CompletionStage<List<Receipt>> expire(long nowMs, int max) {
        List<Receipt> expired = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int s = 0; s < SHARDS; s++) {
            String shard = prefix + ":{pdue:" + s + "}";
            chain = chain.thenCompose(ignored -> expired.size() >= max ? CompletableFuture.completedFuture(null)
                    : expireShard(shard, nowMs, max, expired));
        }
        CompletableFuture<Void> done = chain;
        return guard(() -> done.thenApply(ignored -> expired));
    }

    private CompletableFuture<Void> expireShard(String shard, long nowMs, int max, List<Receipt> expired) {
        return redisson.<String>getScoredSortedSet(shard, StringCodec.INSTANCE)
                .entryRangeAsync(Double.NEGATIVE_INFINITY, true, nowMs, true, 0, max).toCompletableFuture()
                .thenCompose(users -> {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (var user : users) {
                        String userId = user.getValue();
                        long observed = user.getScore().longValue();
                        chain = chain.thenCompose(ignored -> expired.size() >= max
                                ? CompletableFuture.completedFuture(null)
                                : expireUser(shard, userId, observed, nowMs, max - expired.size(), expired));
                    }
                    return chain;
                });
    }

    private CompletableFuture<Void> expireUser(String shard, String userId, long observed, long nowMs, int max,
                                               List<Receipt> expired) {
        String base = base(userId);
        return this.<List<Object>>eval(base + "dl", Mode.READ_WRITE, EXPIRE, ReturnType.LIST, utf8(base),
                        utf8(Long.toString(nowMs)), utf8(Integer.toString(max)))
                .thenCompose(reply -> {
                    for (int i = 1; i + 1 < reply.size(); i += 2) {
                        expired.add(new Receipt(new DeviceId(userId, text(reply.get(i))), text(reply.get(i + 1)),
                                Receipt.Kind.EXPIRED, nowMs));
                    }
                    String next = text(reply.get(0));
                    return this.<Object>eval(shard, Mode.READ_WRITE, DUE_SETTLE, ReturnType.LONG, utf8(userId),
                            utf8(Long.toString(observed)), utf8(next.isEmpty() ? "" : Long.toString(
                                    (long) Double.parseDouble(next))));
                })
                .thenApply(ignored -> null);
    }

    @Override
    public void close() {
        if (ownsRedisson) {
            redisson.shutdown();
        }
    }

    /** Returns the start of every key of {@code userId}'s messages: its hash tag is the user's, as UserStatus's. */
    private String base(String userId) {
        return prefix + ":{u:" + userId + "}:p:";
    }

    private String shard(String userId) {
        return prefix + ":{pdue:" + Math.floorMod(userId.hashCode(), SHARDS) + "}";
    }

    private <R> CompletableFuture<R> eval(String key, Mode mode, String script, ReturnType returnType,
                                          byte[]... args) {
        return scripts.<R>evalAsync(key, mode, script, returnType, List.of(key), (Object[]) args)
                .toCompletableFuture();
    }

    private static <T> CompletionStage<T> guard(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
        return started.exceptionallyCompose(error -> CompletableFuture.failedFuture(failure(error)));
    }

    /** Redis refusing a write for memory is the store being full; anything else is the store being unavailable. */
    private static RuntimeException failure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PendingStoreFullException full) {
                return full;
            }
            if (cause instanceof RedisOutOfMemoryException) {
                return new PendingStoreFullException("Redis holds its maxmemory: the message is not kept");
            }
        }
        return RedisFailures.translate(error);
    }

    /**
     * A message's bytes in its hash: a layout byte, then acceptedAtMs, expiresAtMs, service and logid in decimal,
     * the collapse key and the payload type, each as its length, a colon and its UTF-8 bytes, then the payload.
     */
    static byte[] encode(PendingMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.payload().size());
        out.write(LAYOUT);
        for (String field : new String[] {Long.toString(message.acceptedAtMs()), Long.toString(message.expiresAtMs()),
                Integer.toString(message.service()), Long.toString(message.logid()), message.collapseKey(),
                message.payloadType()}) {
            byte[] bytes = utf8(field);
            out.writeBytes(utf8(Integer.toString(bytes.length)));
            out.write(':');
            out.writeBytes(bytes);
        }
        out.writeBytes(message.payload().toByteArray());
        return out.toByteArray();
    }

    static PendingMessage decode(String messageId, long seq, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != LAYOUT) {
            throw new IllegalStateException("corrupt pending message " + messageId + ": unknown layout");
        }
        String[] fields = new String[6];
        int at = 1;
        for (int i = 0; i < fields.length; i++) {
            int colon = at;
            while (colon < bytes.length && bytes[colon] != ':') {
                colon++;
            }
            if (colon >= bytes.length) {
                throw new IllegalStateException("corrupt pending message " + messageId + ": field " + i);
            }
            int length = Integer.parseInt(new String(bytes, at, colon - at, StandardCharsets.US_ASCII));
            fields[i] = new String(bytes, colon + 1, length, StandardCharsets.UTF_8);
            at = colon + 1 + length;
        }
        return new PendingMessage(messageId, seq, Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[4],
                ByteString.copyFrom(bytes, at, bytes.length - at), fields[5], Integer.parseInt(fields[2]),
                Long.parseLong(fields[3]));
    }

    private static long number(Object reply) {
        if (reply instanceof Long value) {
            return value;
        }
        return (long) Double.parseDouble(text(reply));
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String script(String name) {
        return resource("common.lua") + "\n" + resource(name);
    }

    private static String resource(String name) {
        try (InputStream in = RedisPendingStore.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + RedisPendingStore.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
