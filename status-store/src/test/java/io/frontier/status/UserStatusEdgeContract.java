package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.status.Entries.done;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge-wide operations: listing, purging after a lost lease, and reconciling with a snapshot. */
class InMemoryUserStatusEdgeTest {

    private final InMemoryUserStatus status = new InMemoryUserStatus();

    @AfterEach
    void closeStore() {
        status.close();
    }

    @Test
    void edgeEntries_returnsEntriesOfEveryInstanceOfThatEdgeOnly() {
        DeviceEntry oldRun = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build();
        DeviceEntry newRun = ws("u2", "d1").conn("c2").edge("edge-1", "run-2").build();
        done(status.connected(oldRun));
        done(status.connected(newRun));
        done(status.connected(tcp("u3", "d1").conn("c3").edge("edge-2", "run-1").build()));

        assertThat(done(status.edgeEntries("edge-1"))).containsExactlyInAnyOrder(oldRun, newRun);
        assertThat(done(status.edgeEntries("edge-9"))).isEmpty();
    }

    @Test
    void purgeEdge_removesOnlyThatEdgeAndInstance() {
        DeviceEntry newerRun = tcp("u2", "d1").conn("c3").edge("edge-1", "run-2").build();
        DeviceEntry otherEdge = tcp("u3", "d1").conn("c4").edge("edge-2", "run-1").build();
        done(status.connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));
        done(status.connected(ws("u1", "d1").conn("c2").edge("edge-1", "run-1").build()));
        done(status.connected(newerRun));
        done(status.connected(otherEdge));

        assertThat(done(status.purgeEdge("edge-1", "run-1"))).isEqualTo(2);

        assertThat(done(status.devices("u1", Set.of()))).isEmpty();
        assertThat(done(status.edgeEntries("edge-1"))).containsExactly(newerRun);
        assertThat(done(status.edgeEntries("edge-2"))).containsExactly(otherEdge);
    }

    @Test
    void purgeEdge_ofUnknownEdgeOrInstance_removesNothing() {
        DeviceEntry entry = tcp("u1", "d1").edge("edge-1", "run-1").build();
        done(status.connected(entry));

        assertThat(done(status.purgeEdge("edge-9", "run-1"))).isZero();
        assertThat(done(status.purgeEdge("edge-1", "run-0"))).isZero();
        assertThat(done(status.edgeEntries("edge-1"))).containsExactly(entry);
    }

    @Test
    void purgeEdge_ofDeviceThatMovedToAnotherEdge_keepsItsNewEntry() {
        DeviceEntry moved = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        done(status.connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build()));
        done(status.connected(moved));

        assertThat(done(status.purgeEdge("edge-1", "run-1"))).isZero();
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(moved);
    }

    @Test
    void reconcile_addsMissingAndRemovesAbsentEntries() {
        DeviceEntry kept = tcp("u1", "d1").conn("c1").build();
        DeviceEntry missing = ws("u2", "d1").conn("c3").build();
        done(status.connected(kept));
        done(status.connected(tcp("u1", "d2").conn("c2").build()));

        ReconcileResult result = done(status.reconcile("edge-1", "run-1", List.of(kept, missing)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 1, List.of()));
        assertThat(done(status.edgeEntries("edge-1"))).containsExactlyInAnyOrder(kept, missing);
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(kept);
    }

    @Test
    void reconcile_removesEntriesOfEarlierInstanceOfTheEdge() {
        DeviceEntry current = tcp("u2", "d1").conn("c2").edge("edge-1", "run-2").build();
        done(status.connected(tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").build()));

        ReconcileResult result = done(status.reconcile("edge-1", "run-2", List.of(current)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 1, List.of()));
        assertThat(done(status.edgeEntries("edge-1"))).containsExactly(current);
    }

    @Test
    void reconcile_withEmptySnapshot_removesEveryEntryOfTheEdgeOnly() {
        DeviceEntry otherEdge = tcp("u2", "d1").conn("c3").edge("edge-2", "run-1").build();
        done(status.connected(tcp("u1", "d1").conn("c1").build()));
        done(status.connected(ws("u1", "d1").conn("c2").build()));
        done(status.connected(otherEdge));

        assertThat(done(status.reconcile("edge-1", "run-1", List.of()))).isEqualTo(new ReconcileResult(0, 2, List.of()));
        assertThat(done(status.edgeEntries("edge-1"))).isEmpty();
        assertThat(done(status.edgeEntries("edge-2"))).containsExactly(otherEdge);
    }

    @Test
    void reconcile_ofNewerConnectionThanOtherEdges_reportsReplaced() {
        DeviceEntry elsewhere = tcp("u1", "d1").conn("c1").edge("edge-2", "run-1").at(100).build();
        DeviceEntry here = tcp("u1", "d1").conn("c2").edge("edge-1", "run-1").at(200).build();
        done(status.connected(elsewhere));

        ReconcileResult result = done(status.reconcile("edge-1", "run-1", List.of(here)));

        assertThat(result).isEqualTo(new ReconcileResult(1, 0, List.of(ConnectResult.replaced(elsewhere))));
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(here);
        assertThat(done(status.edgeEntries("edge-2"))).isEmpty();
    }

    @Test
    void reconcile_ofOlderConnectionThanOtherEdges_reportsStaleAndKeepsNewer() {
        DeviceEntry elsewhere = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        DeviceEntry here = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build();
        done(status.connected(elsewhere));

        ReconcileResult result = done(status.reconcile("edge-1", "run-1", List.of(here)));

        assertThat(result).isEqualTo(new ReconcileResult(0, 0, List.of(ConnectResult.stale(elsewhere))));
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(elsewhere);
    }

    @Test
    void reconcile_withTwoConnectionsOfOneDevice_keepsNewerAndReportsOlderAsReplaced() {
        DeviceEntry older = tcp("u1", "d1").conn("c1").at(100).build();
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();

        ReconcileResult result = done(status.reconcile("edge-1", "run-1", List.of(newer, older)));

        assertThat(result.conflicts()).containsExactly(ConnectResult.replaced(older));
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void reconcile_ofEntriesAlreadyRecorded_changesNothing() {
        DeviceEntry entry = tcp("u1", "d1").build();
        done(status.connected(entry));

        assertThat(done(status.reconcile("edge-1", "run-1", List.of(entry))))
                .isEqualTo(new ReconcileResult(0, 0, List.of()));
        assertThat(done(status.edgeEntries("edge-1"))).containsExactly(entry);
    }

    @Test
    void reconcile_thenLateDisconnectOfRemovedConnection_keepsSnapshotEntry() {
        DeviceEntry snapshotEntry = tcp("u1", "d1").conn("c2").at(200).build();
        done(status.connected(tcp("u1", "d1").conn("c1").at(100).build()));
        done(status.reconcile("edge-1", "run-1", List.of(snapshotEntry)));

        assertThat(done(status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(snapshotEntry);
    }

    @Test
    void reconcile_withEntryOfAnotherEdgeOrInstance_throws() {
        DeviceEntry otherEdge = tcp("u1", "d1").edge("edge-2", "run-1").build();
        DeviceEntry otherRun = tcp("u1", "d1").edge("edge-1", "run-0").build();

        assertThatThrownBy(() -> status.reconcile("edge-1", "run-1", List.of(otherEdge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: edgeId edge-1 and edgeInstance run-1)");
        assertThatThrownBy(() -> status.reconcile("edge-1", "run-1", List.of(otherRun)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
