package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserStatus} must do with whole edges: listing, purging after a lost lease, the sweep's
 * purge of other instances, and reconciling with a snapshot. Each store runs it through a subclass.
 */
abstract class UserStatusEdgeContract {

    /** Returns the store under test, empty at the start of each test. */
    protected abstract UserStatus status();

    /** Returns the value of {@code stage}, failing the test if it takes more than a few seconds. */
    protected <T> T await(CompletionStage<T> stage) {
        return Entries.await(stage);
    }

    @Test
    void edgeEntries_returnsEntriesOfEveryInstanceOfThatEdgeOnly() {
        DeviceEntry oldRun = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build();
        DeviceEntry newRun = ws("u2", "d1").conn("c2").edge("edge-1", "run-2").build();
        await(status().connected(oldRun));
        await(status().connected(newRun));
        await(status().connected(tcp("u3", "d1").conn("c3").edge("edge-2", "run-1").build()));

        assertThat(await(status().edgeEntries("edge-1"))).containsExactlyInAnyOrder(oldRun, newRun);
        assertThat(await(status().edgeEntries("edge-9"))).isEmpty();
    }

    @Test
    void purgeEdge_removesOnlyThatEdgeAndInstance() {
        DeviceEntry newerRun = tcp("u2", "d1").conn("c3").edge("edge-1", "run-2").build();
        DeviceEntry otherEdge = tcp("u3", "d1").conn("c4").edge("edge-2", "run-1").build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status().connected(ws("u1", "d1").conn("c2").edge("edge-1", "run-1").build()));
        await(status().connected(newerRun));
        await(status().connected(otherEdge));

        assertThat(await(status().purgeEdge("edge-1", "run-1"))).isEqualTo(2);

        assertThat(await(status().devices("u1", Set.of()))).isEmpty();
        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(newerRun);
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(otherEdge);
    }

    @Test
    void purgeEdge_ofUnknownEdgeOrInstance_removesNothing() {
        DeviceEntry entry = tcp("u1", "d1").edge("edge-1", "run-1").build();
        await(status().connected(entry));

        assertThat(await(status().purgeEdge("edge-9", "run-1"))).isZero();
        assertThat(await(status().purgeEdge("edge-1", "run-0"))).isZero();
        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(entry);
    }

    @Test
    void purgeEdge_ofDeviceThatMovedToAnotherEdge_keepsItsNewEntry() {
        DeviceEntry moved = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build()));
        await(status().connected(moved));

        assertThat(await(status().purgeEdge("edge-1", "run-1"))).isZero();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(moved);
    }

    @Test
    void purgeEdgeExcept_removesEveryOtherInstanceOfThatEdgeOnly() {
        DeviceEntry current = tcp("u3", "d1").conn("c3").edge("edge-1", "run-3").build();
        DeviceEntry otherEdge = tcp("u4", "d1").conn("c4").edge("edge-2", "run-1").build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status().connected(ws("u2", "d1").conn("c2").edge("edge-1", "run-2").build()));
        await(status().connected(current));
        await(status().connected(otherEdge));

        assertThat(await(status().purgeEdgeExcept("edge-1", "run-3"))).isEqualTo(2);

        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(current);
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(otherEdge);
        assertThat(await(status().devices("u1", Set.of()))).isEmpty();
        assertThat(await(status().devices("u2", Set.of()))).isEmpty();
    }

    @Test
    void purgeEdgeExcept_withNullKeep_removesEveryEntryOfThatEdge() {
        DeviceEntry otherEdge = tcp("u3", "d1").conn("c3").edge("edge-2", "run-1").build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status().connected(ws("u1", "d1").conn("c2").edge("edge-1", "run-2").build()));
        await(status().connected(otherEdge));

        assertThat(await(status().purgeEdgeExcept("edge-1", null))).isEqualTo(2);

        assertThat(await(status().edgeEntries("edge-1"))).isEmpty();
        assertThat(await(status().devices("u1", Set.of()))).isEmpty();
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(otherEdge);
    }

    @Test
    void purgeEdgeExcept_ofDeviceThatMovedToAnotherEdge_keepsItsNewEntry() {
        DeviceEntry moved = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build()));
        await(status().connected(moved));

        assertThat(await(status().purgeEdgeExcept("edge-1", null))).isZero();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(moved);
    }

    @Test
    void purgeEdgeExcept_ofUnknownEdge_removesNothing() {
        assertThat(await(status().purgeEdgeExcept("edge-9", null))).isZero();
        assertThat(await(status().purgeEdgeExcept("edge-9", "run-1"))).isZero();
    }

    @Test
    void purgeEdgeExcept_withBlankEdge_throws() {
        assertThatThrownBy(() -> status().purgeEdgeExcept(" ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edgeId: \" \" (expected: non-blank)");
    }

    @Test
    void knownEdges_listsEveryEdgeWithEntries() {
        assertThat(await(status().knownEdges())).isEmpty();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status().connected(ws("u1", "d1").conn("c2").edge("edge-2", "run-1").build()));
        await(status().connected(tcp("u2", "d1").conn("c3").edge("edge-2", "run-2").build()));

        assertThat(await(status().knownEdges())).containsExactlyInAnyOrder("edge-1", "edge-2");
    }

    @Test
    void knownEdges_afterLastDisconnectOrPurge_dropsTheEdge() {
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status().connected(tcp("u2", "d1").conn("c2").edge("edge-2", "run-1").build()));
        await(status().connected(tcp("u3", "d1").conn("c3").edge("edge-3", "run-1").build()));

        await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"));
        await(status().purgeEdge("edge-2", "run-1"));

        assertThat(await(status().knownEdges())).containsExactly("edge-3");
    }

    @Test
    void knownEdges_afterDeviceMovedAway_dropsTheEdge() {
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build()));
        await(status().connected(tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build()));

        assertThat(await(status().knownEdges())).containsExactly("edge-2");
    }

    @Test
    void syncedEdges_namesTheInstanceOfEachEdgesLastSnapshot_inTheCurrentEpochOnly() {
        String epoch = await(status().epoch());
        assertThat(await(status().syncedEdges(epoch))).isEmpty();

        await(status().reconcile("edge-1", "run-1", List.of(tcp("u1", "d1").edge("edge-1", "run-1").build())));
        await(status().reconcile("edge-2", "run-1", List.of()));
        await(status().reconcile("edge-1", "run-2", List.of()));

        assertThat(await(status().syncedEdges(epoch))).containsExactlyInAnyOrderEntriesOf(
                Map.of("edge-1", "run-2", "edge-2", "run-1"));
        assertThat(await(status().syncedEdges("another epoch"))).isEmpty();
    }

    @Test
    void edgeSyncedWithNoEntries_isKnown_untilAPurgeOfEveryInstance() {
        await(status().reconcile("edge-1", "run-1", List.of()));
        assertThat(await(status().knownEdges())).as("so that a sweep can forget it").containsExactly("edge-1");

        await(status().purgeEdge("edge-1", "run-1"));
        assertThat(await(status().knownEdges())).containsExactly("edge-1");

        await(status().purgeEdgeExcept("edge-1", null));
        assertThat(await(status().knownEdges())).isEmpty();
        assertThat(await(status().syncedEdges(await(status().epoch())))).isEmpty();
    }

    @Test
    void sweep_purgesDeadEdgesAndOldInstances_leavesLiveOnes() {
        DeviceEntry live = tcp("u1", "d1").conn("c1").edge("edge-1", "run-2").build();
        await(status().connected(live));
        await(status().connected(tcp("u2", "d1").conn("c2").edge("edge-1", "run-1").build()));
        await(status().connected(ws("u3", "d1").conn("c3").edge("edge-dead", "run-1").build()));
        Map<String, String> leases = Map.of("edge-1", "run-2");

        int removed = 0;
        for (String edgeId : await(status().knownEdges())) {
            removed += await(status().purgeEdgeExcept(edgeId, leases.get(edgeId)));
        }

        assertThat(removed).isEqualTo(2);
        assertThat(await(status().knownEdges())).containsExactly("edge-1");
        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(live);
    }

    @Test
    void reconcile_addsMissingAndRemovesAbsentEntries() {
        DeviceEntry kept = tcp("u1", "d1").conn("c1").build();
        DeviceEntry missing = ws("u2", "d1").conn("c3").build();
        await(status().connected(kept));
        await(status().connected(tcp("u1", "d2").conn("c2").build()));

        ReconcileResult result = await(status().reconcile("edge-1", "run-1", List.of(kept, missing)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 1, List.of()));
        assertThat(await(status().edgeEntries("edge-1"))).containsExactlyInAnyOrder(kept, missing);
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(kept);
    }

    @Test
    void reconcile_removesEntriesOfEarlierInstanceOfTheEdge() {
        DeviceEntry current = tcp("u2", "d1").conn("c2").edge("edge-1", "run-2").build();
        await(status().connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));

        ReconcileResult result = await(status().reconcile("edge-1", "run-2", List.of(current)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 1, List.of()));
        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(current);
    }

    @Test
    void reconcile_withEmptySnapshot_removesEveryEntryOfTheEdgeOnly() {
        DeviceEntry otherEdge = tcp("u2", "d1").conn("c3").edge("edge-2", "run-1").build();
        await(status().connected(tcp("u1", "d1").conn("c1").build()));
        await(status().connected(ws("u1", "d1").conn("c2").build()));
        await(status().connected(otherEdge));

        assertThat(await(status().reconcile("edge-1", "run-1", List.of())))
                .isEqualTo(new ReconcileResult(0, 2, List.of()));
        assertThat(await(status().edgeEntries("edge-1"))).isEmpty();
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(otherEdge);
    }

    @Test
    void reconcile_ofNewerConnectionThanOtherEdges_reportsReplaced() {
        DeviceEntry elsewhere = tcp("u1", "d1").conn("c1").edge("edge-2", "run-1").at(100).build();
        DeviceEntry here = tcp("u1", "d1").conn("c2").edge("edge-1", "run-1").at(200).build();
        await(status().connected(elsewhere));

        ReconcileResult result = await(status().reconcile("edge-1", "run-1", List.of(here)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 0, List.of(ConnectResult.replaced(elsewhere))));
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(here);
        assertThat(await(status().edgeEntries("edge-2"))).isEmpty();
    }

    @Test
    void reconcile_ofOlderConnectionThanOtherEdges_reportsStaleAndKeepsNewer() {
        DeviceEntry elsewhere = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        DeviceEntry here = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build();
        await(status().connected(elsewhere));

        ReconcileResult result = await(status().reconcile("edge-1", "run-1", List.of(here)));

        assertThat(result).isEqualTo(new ReconcileResult(0, 0, List.of(ConnectResult.stale(elsewhere))));
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(elsewhere);
    }

    @Test
    void reconcile_withTwoConnectionsOfOneDevice_keepsNewerAndReportsOlderAsReplaced() {
        DeviceEntry older = tcp("u1", "d1").conn("c1").at(100).build();
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();

        ReconcileResult result = await(status().reconcile("edge-1", "run-1", List.of(newer, older)));

        assertThat(result.conflicts()).containsExactly(ConnectResult.replaced(older));
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void reconcile_ofEntriesAlreadyRecorded_changesNothing() {
        DeviceEntry entry = tcp("u1", "d1").build();
        await(status().connected(entry));

        assertThat(await(status().reconcile("edge-1", "run-1", List.of(entry))))
                .isEqualTo(new ReconcileResult(0, 0, List.of()));
        assertThat(await(status().edgeEntries("edge-1"))).containsExactly(entry);
    }

    @Test
    void reconcile_thenLateDisconnectOfRemovedConnection_keepsSnapshotEntry() {
        DeviceEntry snapshotEntry = tcp("u1", "d1").conn("c2").at(200).build();
        await(status().connected(tcp("u1", "d1").conn("c1").at(100).build()));
        await(status().reconcile("edge-1", "run-1", List.of(snapshotEntry)));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(snapshotEntry);
    }

    @Test
    void reconcile_ofManyEntries_convergesToSnapshotAndIsIdempotent() {
        List<DeviceEntry> snapshot = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            DeviceEntry entry = (i % 2 == 0 ? tcp("u" + i % 40, "d" + i) : ws("u" + i % 40, "d" + i))
                    .conn("new-" + i).edge("edge-1", "run-2").at(1_000 + i).build();
            if (i % 3 == 0) {
                await(status().connected(entry));
            }
            snapshot.add(entry);
        }
        for (int i = 0; i < 200; i++) {
            await(status().connected(tcp("gone" + i % 30, "d" + i).conn("old-" + i).edge("edge-1", "run-1").build()));
        }
        DeviceEntry otherEdge = tcp("u1", "elsewhere").conn("c-x").edge("edge-2", "run-1").build();
        await(status().connected(otherEdge));

        ReconcileResult first = await(status().reconcile("edge-1", "run-2", snapshot));

        assertThat(first).isEqualTo(new ReconcileResult(200, 200, List.of()));
        assertThat(await(status().edgeEntries("edge-1"))).containsExactlyInAnyOrderElementsOf(snapshot);
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(otherEdge);
        assertThat(await(status().reconcile("edge-1", "run-2", snapshot)))
                .isEqualTo(new ReconcileResult(0, 0, List.of()));
        assertThat(await(status().knownEdges())).containsExactlyInAnyOrder("edge-1", "edge-2");
    }

    @Test
    void reconcile_withTwoConnectionsOfManyDevices_reportsEachOlderAsReplacedInSnapshotOrder() {
        List<DeviceEntry> snapshot = new ArrayList<>();
        List<ConnectResult> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DeviceEntry older = tcp("u" + i, "d1").conn("a" + i).at(100 + i).build();
            DeviceEntry newer = tcp("u" + i, "d1").conn("b" + i).at(200 + i).build();
            snapshot.add(newer);
            snapshot.add(older);
            expected.add(ConnectResult.replaced(older));
        }

        ReconcileResult result = await(status().reconcile("edge-1", "run-1", snapshot));

        assertThat(result.added()).isEqualTo(40);
        assertThat(result.conflicts()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(await(status().edgeEntries("edge-1"))).hasSize(20).allSatisfy(
                entry -> assertThat(entry.connId()).startsWith("b"));
    }

    @Test
    void reconcile_withEntryOfAnotherEdgeOrInstance_throws() {
        DeviceEntry otherEdge = tcp("u1", "d1").edge("edge-2", "run-1").build();
        DeviceEntry otherRun = tcp("u1", "d1").edge("edge-1", "run-0").build();

        assertThatThrownBy(() -> status().reconcile("edge-1", "run-1", List.of(otherEdge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: edgeId edge-1 and edgeInstance run-1)");
        assertThatThrownBy(() -> status().reconcile("edge-1", "run-1", List.of(otherRun)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
