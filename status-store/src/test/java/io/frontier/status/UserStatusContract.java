package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_UNSPECIFIED;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.status.Entries.done;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.status.ConnectResult.Outcome;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryUserStatusTest {

    private final InMemoryUserStatus status = new InMemoryUserStatus();

    @AfterEach
    void closeStore() {
        status.close();
    }

    @Test
    void connect_ofNewDevice_addsEntry() {
        DeviceEntry entry = tcp("u1", "d1").build();

        assertThat(done(status.connected(entry))).isEqualTo(ConnectResult.added());
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(entry);
    }

    @Test
    void connect_ofSameConnectionAgain_isSameAndKeepsEntry() {
        DeviceEntry entry = tcp("u1", "d1").conn("c1").build();
        done(status.connected(entry));

        assertThat(done(status.connected(entry))).isEqualTo(ConnectResult.same());
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(entry);
    }

    @Test
    void connect_ofNewerConnection_replacesAndReturnsOldEntry() {
        DeviceEntry old = tcp("u1", "d1").conn("c1").at(100).build();
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        done(status.connected(old));

        assertThat(done(status.connected(newer))).isEqualTo(ConnectResult.replaced(old));
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void connect_ofOlderConnectionArrivingLate_isStaleAndChangesNothing() {
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        DeviceEntry old = tcp("u1", "d1").conn("c1").at(100).build();
        done(status.connected(newer));

        assertThat(done(status.connected(old))).isEqualTo(ConnectResult.stale(newer));
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void connect_atSameMillisecond_keepsLargerConnId() {
        DeviceEntry small = tcp("u1", "d1").conn("c-a").at(100).build();
        DeviceEntry large = tcp("u1", "d1").conn("c-b").at(100).build();
        done(status.connected(large));

        assertThat(done(status.connected(small)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(large);
    }

    @Test
    void connect_ofTcpAndWsWithSameDeviceId_keepsBoth() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").at(200).build();
        DeviceEntry smartphone = ws("u1", "d1").conn("c2").at(100).build();
        done(status.connected(phone));

        assertThat(done(status.connected(smartphone))).isEqualTo(ConnectResult.added());
        assertThat(done(status.device("u1", "d1", Set.of()))).containsExactly(phone, smartphone);
    }

    @Test
    void connect_toAnotherEdge_movesEntryBetweenEdges() {
        DeviceEntry old = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build();
        DeviceEntry moved = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        done(status.connected(old));

        done(status.connected(moved));

        assertThat(done(status.edgeEntries("edge-1"))).isEmpty();
        assertThat(done(status.edgeEntries("edge-2"))).containsExactly(moved);
    }

    @Test
    void disconnect_ofCurrentConnection_removesEntry() {
        done(status.connected(tcp("u1", "d1").conn("c1").build()));

        assertThat(done(status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isTrue();
        assertThat(done(status.devices("u1", Set.of()))).isEmpty();
        assertThat(done(status.edgeEntries("edge-1"))).isEmpty();
    }

    @Test
    void disconnect_ofOldConnection_keepsNewerEntry() {
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        done(status.connected(tcp("u1", "d1").conn("c1").at(100).build()));
        done(status.connected(newer));

        assertThat(done(status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void disconnect_ofTcp_leavesWsOfSameDevice() {
        DeviceEntry smartphone = ws("u1", "d1").conn("same-id").build();
        done(status.connected(tcp("u1", "d1").conn("same-id").build()));
        done(status.connected(smartphone));

        assertThat(done(status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "same-id"))).isTrue();
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(smartphone);
    }

    @Test
    void disconnect_ofWsNeverConnected_leavesTcpOfSameDevice() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").build();
        done(status.connected(phone));

        assertThat(done(status.disconnected("u1", CLIENT_TYPE_WS, "d1", "c1"))).isFalse();
        assertThat(done(status.devices("u1", Set.of()))).containsExactly(phone);
    }

    @Test
    void disconnect_ofUnknownUser_returnsFalse() {
        assertThat(done(status.disconnected("nobody", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
    }

    @Test
    void devices_withEmptySet_returnsBothTypesOrderedByTypeThenDevice() {
        DeviceEntry wsA = ws("u1", "a").conn("c1").build();
        DeviceEntry tcpB = tcp("u1", "b").conn("c2").build();
        DeviceEntry tcpA = tcp("u1", "a").conn("c3").build();
        DeviceEntry wsB = ws("u1", "b").conn("c4").build();
        for (DeviceEntry entry : new DeviceEntry[] {wsA, tcpB, tcpA, wsB}) {
            done(status.connected(entry));
        }

        assertThat(done(status.devices("u1", Set.of()))).containsExactly(tcpA, tcpB, wsA, wsB);
        assertThat(done(status.devices("u1", Set.of(CLIENT_TYPE_TCP, CLIENT_TYPE_WS))))
                .containsExactly(tcpA, tcpB, wsA, wsB);
    }

    @Test
    void devices_withOneType_returnsOnlyThatType() {
        DeviceEntry smartphone = ws("u1", "d2").conn("c2").build();
        done(status.connected(tcp("u1", "d1").conn("c1").build()));
        done(status.connected(smartphone));

        assertThat(done(status.devices("u1", Set.of(CLIENT_TYPE_WS)))).containsExactly(smartphone);
    }

    @Test
    void devices_ofOneUser_excludesOtherUsers() {
        DeviceEntry mine = tcp("u1", "d1").conn("c1").build();
        done(status.connected(mine));
        done(status.connected(tcp("u2", "d1").conn("c2").build()));

        assertThat(done(status.devices("u1", Set.of()))).containsExactly(mine);
        assertThat(done(status.devices("u3", Set.of()))).isEmpty();
    }

    @Test
    void device_returnsOnlyThatDeviceFilteredByType() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").build();
        DeviceEntry smartphone = ws("u1", "d1").conn("c2").build();
        done(status.connected(phone));
        done(status.connected(smartphone));
        done(status.connected(tcp("u1", "d2").conn("c3").build()));

        assertThat(done(status.device("u1", "d1", Set.of()))).containsExactly(phone, smartphone);
        assertThat(done(status.device("u1", "d1", Set.of(CLIENT_TYPE_TCP)))).containsExactly(phone);
        assertThat(done(status.device("u1", "d9", Set.of()))).isEmpty();
    }

    @Test
    void devices_withUnspecifiedType_throws() {
        assertThatThrownBy(() -> status.devices("u1", Set.of(CLIENT_TYPE_UNSPECIFIED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientTypes element: CLIENT_TYPE_UNSPECIFIED"
                        + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
    }

    @Test
    void disconnected_withBlankConnId_throws() {
        assertThatThrownBy(() -> status.disconnected("u1", CLIENT_TYPE_TCP, "d1", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connId: \"\" (expected: non-blank)");
    }

    @Test
    void connected_withNullEntry_throws() {
        assertThatThrownBy(() -> status.connected(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("entry: null (expected: non-null)");
    }

    @Test
    void close_makesLaterCallsFailAndCanBeRepeated() {
        done(status.connected(tcp("u1", "d1").build()));

        status.close();
        status.close();

        assertThat(status.devices("u1", Set.of()).toCompletableFuture())
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> status.connected(tcp("u1", "d2").build()).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
