package io.frontier.status;

import static io.frontier.status.Checks.clientTypeFilter;
import static io.frontier.status.Checks.deviceKey;
import static io.frontier.status.Checks.nonBlank;
import static io.frontier.status.Checks.nonNull;
import static io.frontier.status.Checks.sortedSnapshot;
import static io.frontier.status.RedisEntryCodec.decodeEntry;
import static io.frontier.status.RedisEntryCodec.text;
import static io.frontier.status.RedisEntryCodec.utf8;

import io.frontier.api.v1.ClientType;
import io.frontier.status.RedisEntryCodec.IndexRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.redisson.Redisson;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.api.RScript.Mode;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/**
 * A {@link UserStatus} in Redis, through Redisson: what the control planes of a cluster share.
 *
 * <p>Layout ({@link RedisKeys}): each user has a hash per client type, {@code frontier:{u:USER}:tcp} and
 * {@code frontier:{u:USER}:ws}, from device id to entry ({@link RedisEntryCodec}); each edge has an index
 * {@code frontier:{e:EDGE}:conns} from connection id to where the entry is; {@code frontier:{edges}} lists
 * the edges that have an index. Every conditional update is one Lua script on one user hash
 * ({@link RedisScripts}), so it is atomic and runs on Redis Cluster.
 *
 * <p>The index and the user hashes live in different slots, so they cannot change together. The index is
 * kept a superset of what the hashes hold: a connect writes the index before the hash, a removal drops the
 * index record after the hash entry, and purge and reconcile remove an entry found through the index only
 * with a script that checks the hash still names that connection, so a stale record never removes a newer
 * entry. Records left behind by a failure, or by a connection that lost to a newer one, are dropped by the
 * next purge or reconcile of their edge that finds the hash no longer names them. One gap remains: a
 * connect that a purge or reconcile of the same edge overtakes between its two writes (the purge finds the
 * record but not yet the entry, and drops the record) leaves an entry without a record, which then leaves
 * only by its disconnect, a newer connection, or the TTL. Callers keep that window closed by applying one
 * edge's events and its reconcile one after the other, and by purging an edge only once its lease is gone.
 *
 * <p>Entries do not live forever if everything crashes: each user hash expires {@link
 * RedisStatusConfig#entryTtl()} (default 24 h) after the last connect or reconcile that reported a
 * connection of that user and client type. A device connected longer than that with no such report of its
 * user in between leaves the store, so the control plane reconciles live edges more often than the TTL.
 * Indexes and the edge set have no TTL: the sweep's purge of a dead edge removes its index.
 *
 * <p>When Redis cannot be reached, stages fail fast with a {@link StatusStoreUnavailableException} whose message
 * is a few words, Redisson's exception as its cause (about 0.15 s when connections are refused, 1.2 s when
 * nothing answers, with the defaults of {@link RedisStatusConfig}). Once an epoch was adopted
 * ({@link #adoptEpoch}), reads of devices also check the epoch marker: a Redis that came back without its data
 * fails them the same way until the new epoch is adopted, rather than answer that connected devices are offline
 * before their edges reported them again. Each applied snapshot is recorded with the epoch it was applied in
 * ({@link #syncedEdges}), so that control planes know when to adopt. Calls succeed
 * again once Redis is back, on the same instance, and {@link #connect} does not need Redis up. Stages complete on
 * Redisson's threads: callers must not block in their callbacks. Reads of devices are sent in batches,
 * several callers' in one round trip when they come faster than Redis answers ({@link DeviceReads}). Purge and
 * reconcile take several round
 * trips, reading an index {@link RedisStatusConfig#batchSize()} records at a time with at most about that
 * many updates in flight. Thread-safe.
 */
public final class RedisUserStatus implements UserStatus {

    /** Hash fields as text, values as the bytes of {@link RedisEntryCodec}. */
    private static final Codec FIELD_TO_BYTES = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final RedissonClient redisson;
    private final RScript scripts;
    private final RedisKeys keys;
    private final byte[] ttlMs;
    private final int batchSize;
    private final byte[] scanCount;
    private final DeviceReads reads;
    private volatile boolean closed;
    // The epoch adopted last: what the data of a read must belong to. Null until adoptEpoch().
    private volatile String knownEpoch;

    private RedisUserStatus(RedissonClient redisson, RedisStatusConfig config) {
        this.redisson = redisson;
        this.scripts = redisson.getScript(ByteArrayCodec.INSTANCE);
        this.keys = new RedisKeys(config.keyPrefix());
        this.ttlMs = utf8(Long.toString(config.entryTtl().toMillis()));
        this.batchSize = config.batchSize();
        this.scanCount = utf8(Integer.toString(batchSize));
        this.reads = new DeviceReads(redisson, keys, FIELD_TO_BYTES, config, () -> knownEpoch);
    }

    /**
     * Returns a store that reaches Redis as {@code config} says. It connects lazily: Redis may be down when
     * this is called, and calls fail until it is up.
     */
    public static RedisUserStatus connect(RedisStatusConfig config) {
        Objects.requireNonNull(config, "config: null (expected: non-null)");
        return new RedisUserStatus(Redisson.create(RedissonSettings.of(config)), config);
    }

    @Override
    public CompletionStage<ConnectResult> connected(DeviceEntry entry) {
        Objects.requireNonNull(entry, "entry: null (expected: non-null)");
        return guard(() -> connect(entry));
    }

    @Override
    public CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId,
                                                 String connId) {
        deviceKey(userId, clientType, deviceId);
        nonBlank(connId, "connId");
        return guard(() -> this.<byte[]>eval(keys.user(userId, clientType), Mode.READ_WRITE,
                RedisScripts.DISCONNECT, ReturnType.VALUE, utf8(deviceId), utf8(connId))
                .thenCompose(removed -> {
                    if (removed == null) {
                        return CompletableFuture.completedFuture(false);
                    }
                    String edgeId = decodeEntry(userId, clientType, deviceId, removed).edgeId();
                    return dropIndexRecord(edgeId, connId).thenApply(ignored -> true);
                }));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes) {
        nonBlank(userId, "userId");
        Set<ClientType> filter = clientTypeFilter(clientTypes, "clientTypes");
        return guard(() -> reads.read(userId, filter, null));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes) {
        nonBlank(userId, "userId");
        nonBlank(deviceId, "deviceId");
        Set<ClientType> filter = clientTypeFilter(clientTypes, "clientTypes");
        return guard(() -> reads.read(userId, filter, deviceId));
    }

    @Override
    public CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId) {
        nonBlank(edgeId, "edgeId");
        // Keyed by connection id: HSCAN may return a record twice.
        Map<String, DeviceEntry> found = new ConcurrentHashMap<>();
        return guard(() -> forEachPage(edgeId, page -> allOf(page, record -> indexed(edgeId, record)
                .thenAccept(entry -> {
                    if (entry != null) {
                        found.put(entry.connId(), entry);
                    }
                })))
                .thenApply(ignored -> List.copyOf(found.values())));
    }

    @Override
    public CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance) {
        nonBlank(edgeId, "edgeId");
        nonNull(edgeInstance, "edgeInstance");
        return guard(() -> purge(edgeId, edgeInstance::equals, "equal", edgeInstance));
    }

    @Override
    public CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance) {
        nonBlank(edgeId, "edgeId");
        return guard(() -> keepInstance == null
                ? purge(edgeId, instance -> true, "any", "").thenCompose(removed ->
                        syncedMap().fastRemoveAsync(edgeId).toCompletableFuture().thenApply(ignored -> removed))
                : purge(edgeId, instance -> !instance.equals(keepInstance), "differ", keepInstance));
    }

    /**
     * Returns the value of the epoch marker, setting a new random one when Redis has none: a
     * fresh or emptied Redis gets a new epoch, which control planes notice.
     */
    @Override
    public CompletionStage<String> epoch() {
        return guard(this::epochNow);
    }

    private CompletableFuture<String> epochNow() {
        var marker = redisson.<String>getBucket(keys.epoch(), StringCodec.INSTANCE);
        String candidate = java.util.UUID.randomUUID().toString();
        return marker.setIfAbsentAsync(candidate).toCompletableFuture()
                .thenCompose(set -> set ? CompletableFuture.completedFuture(candidate)
                        : marker.getAsync().toCompletableFuture());
    }

    @Override
    public void adoptEpoch(String epoch) {
        knownEpoch = nonNull(epoch, "epoch");
    }

    @Override
    public CompletionStage<Map<String, String>> syncedEdges(String epoch) {
        nonNull(epoch, "epoch");
        String prefix = epoch + " ";
        return guard(() -> syncedMap().readAllMapAsync().toCompletableFuture().thenApply(all -> {
            Map<String, String> synced = new HashMap<>();
            all.forEach((edgeId, value) -> {
                if (value.startsWith(prefix)) {
                    synced.put(edgeId, value.substring(prefix.length()));
                }
            });
            return Map.copyOf(synced);
        }));
    }

    @Override
    public CompletionStage<Set<String>> knownEdges() {
        return guard(() -> edgeSet().readAllAsync().toCompletableFuture().thenCompose(listed -> {
            Set<String> known = ConcurrentHashMap.newKeySet();
            return allOf(List.copyOf(listed), edgeId -> pruneIfEmpty(edgeId).thenAccept(indexed -> {
                if (indexed) {
                    known.add(edgeId);
                }
            }))
                    .thenCompose(ignored -> syncedMap().readAllKeySetAsync().toCompletableFuture())
                    .thenApply(syncedIds -> {
                        known.addAll(syncedIds);
                        return Set.copyOf(known);
                    });
        }));
    }

    @Override
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance,
                                                      Collection<DeviceEntry> snapshot) {
        nonBlank(edgeId, "edgeId");
        nonNull(edgeInstance, "edgeInstance");
        List<DeviceEntry> sorted = sortedSnapshot(snapshot, edgeId, edgeInstance);
        Set<ConnectionKey> held = new HashSet<>();
        for (DeviceEntry entry : sorted) {
            held.add(ConnectionKey.of(entry));
        }
        AtomicInteger removed = new AtomicInteger();
        // The epoch is read first: should Redis lose its data meanwhile, the record names the lost epoch and
        // so does not count this snapshot as applied in the new one.
        return guard(() -> epochNow().thenCompose(epoch -> forEachPage(edgeId, page -> allOf(page, record -> {
            // Matching on the connection checked, not on the key, spares a connection the edge reported
            // after taking its snapshot.
            if (held.contains(new ConnectionKey(record.deviceKey(), record.connId()))) {
                return CompletableFuture.completedFuture(null);
            }
            return removeChecked(edgeId, record, "any", "").thenAccept(status -> {
                if (status == 1) {
                    removed.incrementAndGet();
                }
            });
        }))
                .thenCompose(ignored -> apply(sorted))
                .thenApply(results -> {
                    int added = 0;
                    List<ConnectResult> conflicts = new ArrayList<>();
                    for (ConnectResult result : results) {
                        if (result.outcome().recordsReported()) {
                            added++;
                        }
                        if (result.outcome().hasOther()) {
                            conflicts.add(result);
                        }
                    }
                    return new ReconcileResult(added, removed.get(), conflicts);
                })
                .thenCompose(result -> syncedMap().fastPutAsync(edgeId, epoch + " " + edgeInstance)
                        .toCompletableFuture().thenApply(ignored -> result))));
    }

    /** Shuts Redisson down; calls made afterwards fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        redisson.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<ConnectResult> connect(DeviceEntry entry) {
        // The index first, so that it always names at least what the user hashes hold.
        return indexOf(entry.edgeId()).fastPutAsync(entry.connId(), RedisEntryCodec.encodeIndex(entry))
                .toCompletableFuture()
                .thenCompose(ignored -> {
                    // After the index write, so that a prune that drops the edge from the set meanwhile
                    // is undone (see pruneIfEmpty).
                    CompletableFuture<Boolean> listed = edgeSet().addAsync(entry.edgeId()).toCompletableFuture();
                    CompletableFuture<ConnectResult> judged = this.<List<Object>>eval(
                            keys.user(entry.userId(), entry.clientType()), Mode.READ_WRITE, RedisScripts.CONNECT,
                            ReturnType.LIST, utf8(entry.deviceId()), RedisEntryCodec.encodeEntry(entry), ttlMs)
                            .thenApply(reply -> connectResult(entry, reply));
                    return listed.thenCombine(judged, (ignoredListed, result) -> result);
                })
                .thenCompose(result -> dropLoserRecord(entry, result).thenApply(ignored -> result));
    }

    /**
     * Drops the index record of the connection that lost, which the hash no longer (or never) holds: its
     * disconnect will not find it in the hash, and so would not know which index names it.
     */
    private CompletableFuture<?> dropLoserRecord(DeviceEntry reported, ConnectResult result) {
        return switch (result.outcome()) {
            case REPLACED -> {
                DeviceEntry previous = result.other().orElseThrow();
                yield dropIndexRecord(previous.edgeId(), previous.connId());
            }
            case STALE -> dropIndexRecord(reported.edgeId(), reported.connId());
            case ADDED, SAME -> CompletableFuture.completedFuture(null);
        };
    }

    private static ConnectResult connectResult(DeviceEntry entry, List<Object> reply) {
        int outcome = ((Number) reply.get(0)).intValue();
        byte[] recorded = reply.size() > 1 ? (byte[]) reply.get(1) : null;
        return switch (outcome) {
            case 0 -> ConnectResult.added();
            case 1 -> ConnectResult.replaced(decodeEntry(entry.userId(), entry.clientType(), entry.deviceId(),
                    recorded));
            case 2 -> ConnectResult.same();
            case 3 -> ConnectResult.stale(decodeEntry(entry.userId(), entry.clientType(), entry.deviceId(),
                    recorded));
            default -> throw new IllegalStateException("connect script answered outcome " + outcome);
        };
    }

    /** Returns the entry an index record points at if it still names that connection and edge, else null. */
    private CompletableFuture<DeviceEntry> indexed(String edgeId, IndexRecord record) {
        RMap<String, byte[]> hash = redisson.getMap(keys.user(record.userId(), record.clientType()), FIELD_TO_BYTES);
        return hash.getAsync(record.deviceId()).toCompletableFuture().thenApply(value -> {
            if (value == null) {
                return null;
            }
            DeviceEntry entry = decodeEntry(record.userId(), record.clientType(), record.deviceId(), value);
            return entry.connId().equals(record.connId()) && entry.edgeId().equals(edgeId) ? entry : null;
        });
    }

    private CompletableFuture<Integer> purge(String edgeId, Predicate<String> selects, String check,
                                             String instance) {
        AtomicInteger removed = new AtomicInteger();
        return forEachPage(edgeId, page -> allOf(page, record -> {
            // The record's instance is what the connect reported, the same as its entry's: checking it here
            // spares a script per entry of the instance that stays.
            if (!selects.test(record.edgeInstance())) {
                return CompletableFuture.completedFuture(null);
            }
            return removeChecked(edgeId, record, check, instance).thenAccept(status -> {
                if (status == 1) {
                    removed.incrementAndGet();
                }
            });
        }))
                .thenCompose(ignored -> pruneIfEmpty(edgeId))
                .thenApply(ignored -> removed.get());
    }

    /**
     * Removes the entry {@code record} points at if the hash still names that connection and edge and its
     * instance passes {@code check} ({@code any}, {@code equal} or {@code differ} from {@code instance});
     * then drops the record unless the hash still holds its connection. Completes with 1 when it removed
     * the entry, 0 when the record was stale, -1 when the check kept the entry.
     */
    private CompletableFuture<Integer> removeChecked(String edgeId, IndexRecord record, String check,
                                                     String instance) {
        return this.<Long>eval(keys.user(record.userId(), record.clientType()), Mode.READ_WRITE,
                        RedisScripts.REMOVE_CHECKED, ReturnType.LONG, utf8(record.deviceId()), utf8(record.connId()),
                        utf8(edgeId), utf8(check), utf8(instance))
                .thenCompose(status -> status < 0
                        ? CompletableFuture.completedFuture(status.intValue())
                        : dropIndexRecord(edgeId, record.connId()).thenApply(ignored -> status.intValue()));
    }

    /**
     * Takes {@code edgeId} off the edge set when its index is gone, then puts it back if a connect wrote the
     * index meanwhile: a connect adds the edge to the set only after writing the index, so one of the two
     * re-adds it. Completes with whether the edge still has an index.
     */
    private CompletableFuture<Boolean> pruneIfEmpty(String edgeId) {
        RMap<String, byte[]> index = indexOf(edgeId);
        return index.isExistsAsync().toCompletableFuture().thenCompose(exists -> {
            if (exists) {
                return CompletableFuture.completedFuture(true);
            }
            return edgeSet().removeAsync(edgeId).toCompletableFuture()
                    .thenCompose(ignored -> index.isExistsAsync().toCompletableFuture())
                    .thenCompose(again -> again
                            ? edgeSet().addAsync(edgeId).toCompletableFuture().thenApply(ignored -> true)
                            : CompletableFuture.completedFuture(false));
        });
    }

    /**
     * Applies the snapshot's entries (oldest first) as connects: several at a time, but two connections of
     * one device one after the other and in order, as the in-memory store does. Completes with the results
     * in the snapshot's order.
     */
    private CompletableFuture<List<ConnectResult>> apply(List<DeviceEntry> sorted) {
        ConnectResult[] results = new ConnectResult[sorted.size()];
        // Round r holds the r-th connection of each device, so that a round never has two of one device.
        List<List<Integer>> rounds = new ArrayList<>();
        Map<DeviceKey, Integer> seen = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            int round = seen.merge(DeviceKey.of(sorted.get(i)), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (List<Integer> round : rounds) {
            for (int from = 0; from < round.size(); from += batchSize) {
                List<Integer> chunk = round.subList(from, Math.min(round.size(), from + batchSize));
                chain = chain.thenCompose(ignored -> allOf(chunk,
                        i -> connect(sorted.get(i)).thenAccept(result -> results[i] = result)));
            }
        }
        return chain.thenApply(ignored -> List.of(results));
    }

    /**
     * Reads the index of {@code edgeId} a page at a time and hands each page to {@code step}, reading the
     * next page only once the step is done, so that at most a page of work is in flight.
     */
    private CompletableFuture<Void> forEachPage(String edgeId,
                                                Function<List<IndexRecord>, CompletableFuture<Void>> step) {
        return scanFrom(edgeId, utf8("0"), step);
    }

    private CompletableFuture<Void> scanFrom(String edgeId, byte[] cursor,
                                             Function<List<IndexRecord>, CompletableFuture<Void>> step) {
        return this.<List<Object>>eval(keys.edge(edgeId), Mode.READ_ONLY, RedisScripts.SCAN, ReturnType.LIST,
                        cursor, scanCount)
                .thenCompose(reply -> {
                    byte[] next = (byte[]) reply.get(0);
                    List<IndexRecord> page = new ArrayList<>((reply.size() - 1) / 2);
                    for (int i = 1; i + 1 < reply.size(); i += 2) {
                        page.add(RedisEntryCodec.decodeIndex(text((byte[]) reply.get(i)), (byte[]) reply.get(i + 1)));
                    }
                    return step.apply(page).thenCompose(ignored -> text(next).equals("0")
                            ? CompletableFuture.completedFuture(null)
                            : scanFrom(edgeId, next, step));
                });
    }

    private CompletableFuture<Long> dropIndexRecord(String edgeId, String connId) {
        return indexOf(edgeId).fastRemoveAsync(connId).toCompletableFuture();
    }

    private RMap<String, byte[]> indexOf(String edgeId) {
        return redisson.getMap(keys.edge(edgeId), FIELD_TO_BYTES);
    }

    private RMap<String, String> syncedMap() {
        return redisson.getMap(keys.synced(), StringCodec.INSTANCE);
    }

    private RSet<String> edgeSet() {
        return redisson.getSet(keys.edges(), StringCodec.INSTANCE);
    }

    private <R> CompletableFuture<R> eval(String key, Mode mode, String script, ReturnType returnType,
                                          byte[]... args) {
        return scripts.<R>evalAsync(key, mode, script, returnType, List.of(key), (Object[]) args)
                .toCompletableFuture();
    }

    private static <T> CompletableFuture<Void> allOf(List<T> items, Function<T, CompletableFuture<?>> work) {
        CompletableFuture<?>[] running = new CompletableFuture<?>[items.size()];
        for (int i = 0; i < running.length; i++) {
            running[i] = work.apply(items.get(i));
        }
        return CompletableFuture.allOf(running);
    }

    private <T> CompletionStage<T> guard(Supplier<CompletableFuture<T>> work) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("UserStatus is closed"));
        }
        CompletableFuture<T> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            // Redisson throws at once when it is shutting down or has no connection to offer.
            return CompletableFuture.failedFuture(RedisFailures.translate(e));
        }
        return started.exceptionallyCompose(error -> CompletableFuture.failedFuture(RedisFailures.translate(error)));
    }
}
