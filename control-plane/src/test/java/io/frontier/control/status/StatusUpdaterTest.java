package io.frontier.control.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.control.testing.TestEdges.EDGE_A;
import static io.frontier.control.testing.TestEdges.EDGE_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.TestEdges;
import io.frontier.protocol.StatusCode;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.InMemoryUserStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StatusUpdater with a real in-memory UserStatus: what it records and whom it kicks. */
class StatusUpdaterTest {
    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway();
    private final InMemoryUserStatus status = new InMemoryUserStatus();
    private final StatusUpdater updater = new StatusUpdater(status, edges);

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void connected_firstConnectionOfDevice_isRecordedWithoutKick() {
        ConnectionInfo conn = alicePhone(EDGE_A, 1_000);

        ConnectResult result = connected(conn);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.ADDED);
        assertThat(recorded("alice")).singleElement().satisfies(entry -> {
            assertThat(entry.connId()).isEqualTo(conn.getConnId());
            assertThat(entry.edgeId()).isEqualTo(EDGE_A);
            assertThat(entry.edgeInstance()).isEqualTo("run-1");
            assertThat(entry.clientAddr()).isEqualTo(conn.getClientAddr());
            assertThat(entry.connectedAtMs()).isEqualTo(1_000);
        });
        assertThat(edges.kicks()).isEmpty();
    }

    @Test
    void connected_sameConnectionAgain_changesNothingAndKicksNoOne() {
        ConnectionInfo conn = alicePhone(EDGE_A, 1_000);
        connected(conn);

        ConnectResult result = connected(conn);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.SAME);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(conn.getConnId());
        assertThat(edges.kicks()).isEmpty();
    }

    @Test
    void connected_secondConnectionOfDevice_kicksFirstWith409OnItsEdge() {
        ConnectionInfo first = alicePhone(EDGE_A, 1_000);
        ConnectionInfo second = alicePhone(EDGE_B, 2_000);
        connected(first);

        ConnectResult result = connected(second);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.REPLACED);
        assertKickedWith409(EDGE_A, first);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(second.getConnId());
    }

    @Test
    void connected_lateConnectedOfOlderConnection_kicksThatOlderConnectionNotTheNewer() {
        ConnectionInfo older = alicePhone(EDGE_A, 1_000);
        ConnectionInfo newer = alicePhone(EDGE_B, 2_000);
        connected(newer);

        ConnectResult result = connected(older);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.STALE);
        assertKickedWith409(EDGE_A, older);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(newer.getConnId());
    }

    @Test
    void connected_secondConnectionOfDeviceOnTheSameRunOfTheSameEdge_kicksNoOne_theEdgeClosedTheFirstItself() {
        ConnectionInfo first = alicePhone(EDGE_A, 1_000);
        ConnectionInfo second = alicePhone(EDGE_A, 2_000);
        connected(first);

        ConnectResult result = connected(second);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.REPLACED);
        assertThat(edges.kicks()).isEmpty();
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(second.getConnId());
    }

    @Test
    void connected_lateConnectedOfOlderConnectionOnTheSameRunOfTheSameEdge_kicksNoOne() {
        ConnectionInfo older = alicePhone(EDGE_A, 1_000);
        ConnectionInfo newer = alicePhone(EDGE_A, 2_000);
        connected(newer);

        ConnectResult result = connected(older);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.STALE);
        assertThat(edges.kicks()).isEmpty();
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(newer.getConnId());
    }

    @Test
    void connected_secondConnectionOfDeviceOnAnotherRunOfTheSameEdgeId_kicksTheFirst() {
        ConnectionInfo first = alicePhone(EDGE_A, 1_000);
        ConnectionInfo second = alicePhone(EDGE_A, 2_000);
        connected(first, "run-1");

        ConnectResult result = connected(second, "run-2");

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.REPLACED);
        assertKickedWith409(EDGE_A, first);
    }

    @Test
    void reconcile_snapshotConnectionNewerThanAnEntryOnAnotherEdge_kicksThatEntry() {
        ConnectionInfo older = alicePhone(EDGE_A, 1_000);
        ConnectionInfo newer = alicePhone(EDGE_B, 2_000);
        connected(older);

        updater.reconcile(EDGE_B, "run-1", List.of(newer)).toCompletableFuture().join();

        assertKickedWith409(EDGE_A, older);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(newer.getConnId());
    }

    @Test
    void reconcile_snapshotConnectionOlderThanAnEntryOnAnotherEdge_isKickedOnItsOwnEdge() {
        ConnectionInfo older = alicePhone(EDGE_B, 1_000);
        ConnectionInfo newer = alicePhone(EDGE_A, 2_000);
        connected(newer);

        updater.reconcile(EDGE_B, "run-1", List.of(older)).toCompletableFuture().join();

        assertKickedWith409(EDGE_B, older);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(newer.getConnId());
    }

    @Test
    void connected_otherClientTypeOfSameDevice_kicksNoOne() {
        ConnectionInfo tcp = testEdges.connection("alice", CLIENT_TYPE_TCP, "phone", EDGE_A, 1_000);
        ConnectionInfo ws = alicePhone(EDGE_B, 2_000);
        connected(tcp);

        ConnectResult result = connected(ws);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.ADDED);
        assertThat(edges.kicks()).isEmpty();
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(tcp.getConnId(), ws.getConnId());
    }

    @Test
    void connected_whenKickFails_stillRecordsTheNewerConnection() {
        ConnectionInfo first = alicePhone(EDGE_A, 1_000);
        ConnectionInfo second = alicePhone(EDGE_B, 2_000);
        connected(first);
        edges.fail(EDGE_A, "edge-a: gone");

        ConnectResult result = connected(second);

        assertThat(result.outcome()).isEqualTo(ConnectResult.Outcome.REPLACED);
        assertThat(edges.kicks()).extracting(FakeEdgeGateway.Call::edgeId).containsExactly(EDGE_A);
        assertThat(recorded("alice")).extracting(DeviceEntry::connId).containsExactly(second.getConnId());
    }

    @Test
    void disconnected_ofCurrentConnection_removesEntry() {
        ConnectionInfo conn = alicePhone(EDGE_A, 1_000);
        connected(conn);

        boolean removed = updater.disconnected(conn).toCompletableFuture().join();

        assertThat(removed).isTrue();
        assertThat(recorded("alice")).isEmpty();
    }

    @Test
    void disconnected_lateOfOldConnection_leavesNewerEntry() {
        ConnectionInfo old = alicePhone(EDGE_A, 1_000);
        ConnectionInfo newer = alicePhone(EDGE_B, 2_000);
        connected(old);
        connected(newer);

        boolean removed = updater.disconnected(old).toCompletableFuture().join();

        assertThat(removed).isFalse();
        assertThat(recorded("alice")).singleElement().satisfies(entry -> {
            assertThat(entry.connId()).isEqualTo(newer.getConnId());
            assertThat(entry.edgeId()).isEqualTo(EDGE_B);
        });
    }

    private ConnectionInfo alicePhone(String edgeId, long connectedAtMs) {
        return testEdges.connection("alice", CLIENT_TYPE_WS, "phone", edgeId, connectedAtMs);
    }

    /** Asserts that the only kick closes {@code loser} on {@code edgeId} with Bye 409. */
    private void assertKickedWith409(String edgeId, ConnectionInfo loser) {
        assertThat(edges.kicks()).singleElement().satisfies(kick -> {
            assertThat(kick.edgeId()).isEqualTo(edgeId);
            assertThat(kick.request().getConnId()).isEqualTo(loser.getConnId());
            assertThat(kick.request().getCode()).isEqualTo(StatusCode.REPLACED).isEqualTo(409);
        });
    }

    private ConnectResult connected(ConnectionInfo conn) {
        return connected(conn, "run-1");
    }

    private ConnectResult connected(ConnectionInfo conn, String edgeInstance) {
        // The in-memory store completes at once, so any kick has been asked for when join() returns.
        return updater.connected(conn, edgeInstance).toCompletableFuture().join();
    }

    private List<DeviceEntry> recorded(String userId) {
        return status.devices(userId, Set.of()).toCompletableFuture().join();
    }
}
