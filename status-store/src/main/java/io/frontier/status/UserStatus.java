package io.frontier.status;

import io.frontier.api.v1.ClientType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Which devices of which users are online, on which edge, over which connection.
 *
 * <p>Entries are keyed by (user id, client type, device id): a feature phone and a smartphone that share a
 * device id are two entries, and nothing done to one touches the other. Of two connections of the same
 * device the newer wins: the larger {@link DeviceEntry#connectedAtMs()}, ties broken by the larger
 * {@link DeviceEntry#connId()}. A connection's entry leaves only through its own disconnect, through a
 * purge or reconcile of its edge, when a newer connection replaces it, or (Redis) when its user's hash expires.
 *
 * <p>Every method returns at once; the work may finish later (a Redis round trip). Invalid arguments are
 * rejected by throwing before any work starts: {@link NullPointerException} for a null,
 * {@link IllegalArgumentException} for a blank id or a client type other than TCP or WS. Implementations
 * are thread-safe.
 */
public interface UserStatus extends AutoCloseable {

    /**
     * Records that a device connected, unless a newer connection of it is already recorded.
     *
     * <p>Returns a stage that completes with {@code ADDED} when the device had no entry, {@code REPLACED}
     * (with the previous entry, which the caller closes with Bye 409) when the entry named an older
     * connection, {@code SAME} when it already named this one, and {@code STALE} (with the recorded newer
     * entry) when it named a newer one; {@code SAME} and {@code STALE} leave the store unchanged.
     */
    CompletionStage<ConnectResult> connected(DeviceEntry entry);

    /**
     * Removes the entry of ({@code userId}, {@code clientType}, {@code deviceId}) only if it still names
     * {@code connId}, so that a late disconnect of an old connection never hides a newer one.
     *
     * <p>Returns a stage that completes with {@code true} when it removed an entry.
     */
    CompletionStage<Boolean> disconnected(String userId, ClientType clientType, String deviceId, String connId);

    /**
     * Returns a stage that completes with every entry of the user whose client type is in
     * {@code clientTypes} (an empty set means both), ordered by client type (TCP first) then device id.
     */
    CompletionStage<List<DeviceEntry>> devices(String userId, Set<ClientType> clientTypes);

    /**
     * Returns a stage that completes with the entries of one device of the user whose client type is in
     * {@code clientTypes} (an empty set means both): at most one per client type, TCP first.
     */
    CompletionStage<List<DeviceEntry>> device(String userId, String deviceId, Set<ClientType> clientTypes);

    /** Returns a stage that completes with every entry that names {@code edgeId}, of any instance, in no particular order. */
    CompletionStage<List<DeviceEntry>> edgeEntries(String edgeId);

    /**
     * Removes every entry that names {@code edgeId} and {@code edgeInstance}, as when that run of the edge
     * lost its lease; entries of another instance of the same edge id stay.
     *
     * <p>Returns a stage that completes with the number of entries removed.
     */
    CompletionStage<Integer> purgeEdge(String edgeId, String edgeInstance);

    /**
     * Removes every entry that names {@code edgeId} and an instance other than {@code keepInstance}, as when
     * the control plane's sweep finds that edge id alive under a new instance (or not alive at all).
     *
     * <p>Returns a stage that completes with the number of entries removed.
     *
     * @param keepInstance the instance whose entries stay; null removes every entry of {@code edgeId}
     */
    CompletionStage<Integer> purgeEdgeExcept(String edgeId, String keepInstance);

    /**
     * Returns a stage that completes with the ids of the edges that have entries or are listed by
     * {@link #syncedEdges}, so that a sweep can purge those that hold no lease. A store that indexes entries apart from them (Redis) may also list an edge
     * whose index still names connections that are gone, until a purge or reconcile of that edge checks them.
     */
    CompletionStage<Set<String>> knownEdges();

    /**
     * Returns a stage that completes with the store's epoch (setting one when the store has none): a value
     * that stays the same as long as the store keeps its data, and changes when it lost it (a Redis
     * restarted without persistence). Control planes compare it over time and have every edge send its
     * snapshot again when it changes. Reading it changes nothing else: see {@link #adoptEpoch}.
     */
    CompletionStage<String> epoch();

    /**
     * Makes reads of devices ({@link #devices}, {@link #device}) trust the store while its epoch is
     * {@code epoch}, and fail with {@link StatusStoreUnavailableException} once it is another: a store that
     * lost its data then holds too few entries, and a device missing from it is not offline. A control plane
     * adopts a new epoch once every live edge's snapshot was applied in it ({@link #syncedEdges}). Before the
     * first call, reads are not checked. Stores whose epoch never changes may ignore it.
     */
    void adoptEpoch(String epoch);

    /**
     * Returns a stage that completes with the edges whose snapshot {@link #reconcile} applied in
     * {@code epoch}: edge id &rarr; the instance of the last such snapshot. An edge that a purge of every
     * instance ({@link #purgeEdgeExcept} with null) removed is no longer listed.
     */
    CompletionStage<Map<String, String>> syncedEdges(String epoch);

    /**
     * Makes the entries of {@code edgeId} converge to {@code snapshot}, the full list of the connections
     * that edge holds.
     *
     * <p>First, each entry naming {@code edgeId} (whatever its instance) whose connection is not in the
     * snapshot is removed, only if it still names the connection that was checked; a connection reported
     * meanwhile therefore survives. Then each snapshot entry is applied as {@link #connected} would. The
     * caller makes sure the snapshot comes from the edge's current instance.
     *
     * <p>Returns a stage that completes with the counts and with the {@code REPLACED} and {@code STALE}
     * results, so that the caller can close the losers.
     *
     * @throws IllegalArgumentException if a snapshot entry names another edge id or instance
     */
    CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance, Collection<DeviceEntry> snapshot);

    /** Releases the store's resources; calls made afterwards fail with {@link IllegalStateException}. */
    @Override
    void close();
}
