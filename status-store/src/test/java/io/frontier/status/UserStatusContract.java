package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_UNSPECIFIED;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.ClientType;
import io.frontier.status.ConnectResult.Outcome;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserStatus} must do with single devices: connect, replace, disconnect, read. Each store
 * runs it through a subclass.
 */
abstract class UserStatusContract {

    /** Returns the store under test, empty at the start of each test. */
    protected abstract UserStatus status();

    /** Returns the value of {@code stage}, failing the test if it takes more than a few seconds. */
    protected <T> T await(CompletionStage<T> stage) {
        return Entries.await(stage);
    }

    @Test
    void connect_ofNewDevice_addsEntry() {
        DeviceEntry entry = tcp("u1", "d1").build();

        assertThat(await(status().connected(entry))).isEqualTo(ConnectResult.added());
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(entry);
    }

    @Test
    void connect_ofSameConnectionAgain_isSameAndKeepsEntry() {
        DeviceEntry entry = tcp("u1", "d1").conn("c1").build();
        await(status().connected(entry));

        assertThat(await(status().connected(entry))).isEqualTo(ConnectResult.same());
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(entry);
    }

    @Test
    void connect_ofNewerConnection_replacesAndReturnsOldEntry() {
        DeviceEntry old = tcp("u1", "d1").conn("c1").at(100).build();
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        await(status().connected(old));

        assertThat(await(status().connected(newer))).isEqualTo(ConnectResult.replaced(old));
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void connect_ofOlderConnectionArrivingLate_isStaleAndChangesNothing() {
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        DeviceEntry old = tcp("u1", "d1").conn("c1").at(100).build();
        await(status().connected(newer));

        assertThat(await(status().connected(old))).isEqualTo(ConnectResult.stale(newer));
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void connect_atSameMillisecond_keepsLargerConnId() {
        DeviceEntry small = tcp("u1", "d1").conn("c-a").at(100).build();
        DeviceEntry large = tcp("u1", "d1").conn("c-b").at(100).build();
        await(status().connected(large));

        assertThat(await(status().connected(small)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(large);
    }

    @Test
    void connect_ofTcpAndWsWithSameDeviceId_keepsBoth() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").at(200).build();
        DeviceEntry smartphone = ws("u1", "d1").conn("c2").at(100).build();
        await(status().connected(phone));

        assertThat(await(status().connected(smartphone))).isEqualTo(ConnectResult.added());
        assertThat(await(status().device("u1", "d1", Set.of()))).containsExactly(phone, smartphone);
    }

    @Test
    void connect_atSameMillisecond_ordersConnIdsAsJavaStringsDo() {
        // U+FF21 is larger than U+1F600 as Java compares strings (UTF-16 units: FF21 > D83D), smaller as
        // UTF-8 bytes compare (EF < F0): every store must agree with ConnectionOrder.
        DeviceEntry emoji = tcp("u1", "d1").conn("c-\uD83D\uDE00").at(100).build();
        DeviceEntry fullwidth = tcp("u1", "d1").conn("c-\uFF21").at(100).build();
        assertThat(ConnectionOrder.OLDEST_FIRST.compare(fullwidth, emoji)).isPositive();
        await(status().connected(emoji));

        assertThat(await(status().connected(fullwidth))).isEqualTo(ConnectResult.replaced(emoji));
        assertThat(await(status().connected(emoji))).isEqualTo(ConnectResult.stale(fullwidth));
    }

    @Test
    void connect_comparesTimesAsNumbers() {
        DeviceEntry nine = tcp("u1", "d1").conn("c-b").at(9).build();
        DeviceEntry ten = tcp("u1", "d1").conn("c-a").at(10).build();
        DeviceEntry latest = tcp("u1", "d1").conn("c-0").at(Long.MAX_VALUE).build();
        await(status().connected(nine));

        assertThat(await(status().connected(ten))).isEqualTo(ConnectResult.replaced(nine));
        assertThat(await(status().connected(latest))).isEqualTo(ConnectResult.replaced(ten));
        assertThat(await(status().connected(nine))).isEqualTo(ConnectResult.stale(latest));
    }

    @Test
    void connect_keepsEveryFieldWhateverItsCharacters() {
        DeviceEntry odd = new DeviceEntry("user {x}:1", ClientType.CLIENT_TYPE_WS, "dev:ïce 2", "12:34",
                "e:1", "", "", 0);
        DeviceEntry plain = new DeviceEntry("用户", ClientType.CLIENT_TYPE_TCP, "d", "c", "edge-1", "run:7",
                "[::1]:40000", 1_700_000_000_000L);

        assertThat(await(status().connected(odd))).isEqualTo(ConnectResult.added());
        assertThat(await(status().connected(plain))).isEqualTo(ConnectResult.added());

        assertThat(await(status().devices("user {x}:1", Set.of()))).containsExactly(odd);
        assertThat(await(status().device("用户", "d", Set.of()))).containsExactly(plain);
        assertThat(await(status().edgeEntries("e:1"))).containsExactly(odd);
    }

    @Test
    void smartphoneOfflineAfterFeaturePhoneOnline_keepsFeaturePhone() {
        // With one record per device, a smartphone's late offline would hide the feature
        // phone that had just come online on the same device id.
        DeviceEntry smartphone = ws("u1", "d1").conn("c-ws").at(100).build();
        DeviceEntry phone = tcp("u1", "d1").conn("c-tcp").at(200).build();
        await(status().connected(smartphone));
        await(status().connected(phone));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_WS, "d1", "c-ws"))).isTrue();

        assertThat(await(status().device("u1", "d1", Set.of()))).containsExactly(phone);
    }

    @Test
    void disconnect_twice_removesOnce() {
        await(status().connected(tcp("u1", "d1").conn("c1").build()));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isTrue();
        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
    }

    @Test
    void connect_toAnotherEdge_movesEntryBetweenEdges() {
        DeviceEntry old = tcp("u1", "d1").conn("c1").edge("edge-1", "run-1").at(100).build();
        DeviceEntry moved = tcp("u1", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        await(status().connected(old));

        await(status().connected(moved));

        assertThat(await(status().edgeEntries("edge-1"))).isEmpty();
        assertThat(await(status().edgeEntries("edge-2"))).containsExactly(moved);
    }

    @Test
    void disconnect_ofCurrentConnection_removesEntry() {
        await(status().connected(tcp("u1", "d1").conn("c1").build()));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isTrue();
        assertThat(await(status().devices("u1", Set.of()))).isEmpty();
        assertThat(await(status().edgeEntries("edge-1"))).isEmpty();
    }

    @Test
    void disconnect_ofOldConnection_keepsNewerEntry() {
        DeviceEntry newer = tcp("u1", "d1").conn("c2").at(200).build();
        await(status().connected(tcp("u1", "d1").conn("c1").at(100).build()));
        await(status().connected(newer));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(newer);
    }

    @Test
    void disconnect_ofTcp_leavesWsOfSameDevice() {
        DeviceEntry smartphone = ws("u1", "d1").conn("same-id").build();
        await(status().connected(tcp("u1", "d1").conn("same-id").build()));
        await(status().connected(smartphone));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_TCP, "d1", "same-id"))).isTrue();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(smartphone);
    }

    @Test
    void disconnect_ofWsNeverConnected_leavesTcpOfSameDevice() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").build();
        await(status().connected(phone));

        assertThat(await(status().disconnected("u1", CLIENT_TYPE_WS, "d1", "c1"))).isFalse();
        assertThat(await(status().devices("u1", Set.of()))).containsExactly(phone);
    }

    @Test
    void disconnect_ofUnknownUser_returnsFalse() {
        assertThat(await(status().disconnected("nobody", CLIENT_TYPE_TCP, "d1", "c1"))).isFalse();
    }

    @Test
    void devices_withEmptySet_returnsBothTypesOrderedByTypeThenDevice() {
        DeviceEntry wsA = ws("u1", "a").conn("c1").build();
        DeviceEntry tcpB = tcp("u1", "b").conn("c2").build();
        DeviceEntry tcpA = tcp("u1", "a").conn("c3").build();
        DeviceEntry wsB = ws("u1", "b").conn("c4").build();
        for (DeviceEntry entry : new DeviceEntry[] {wsA, tcpB, tcpA, wsB}) {
            await(status().connected(entry));
        }

        assertThat(await(status().devices("u1", Set.of()))).containsExactly(tcpA, tcpB, wsA, wsB);
        assertThat(await(status().devices("u1", Set.of(CLIENT_TYPE_TCP, CLIENT_TYPE_WS))))
                .containsExactly(tcpA, tcpB, wsA, wsB);
    }

    @Test
    void devices_withOneType_returnsOnlyThatType() {
        DeviceEntry smartphone = ws("u1", "d2").conn("c2").build();
        await(status().connected(tcp("u1", "d1").conn("c1").build()));
        await(status().connected(smartphone));

        assertThat(await(status().devices("u1", Set.of(CLIENT_TYPE_WS)))).containsExactly(smartphone);
    }

    @Test
    void devices_ofOneUser_excludesOtherUsers() {
        DeviceEntry mine = tcp("u1", "d1").conn("c1").build();
        await(status().connected(mine));
        await(status().connected(tcp("u2", "d1").conn("c2").build()));

        assertThat(await(status().devices("u1", Set.of()))).containsExactly(mine);
        assertThat(await(status().devices("u3", Set.of()))).isEmpty();
    }

    @Test
    void device_returnsOnlyThatDeviceFilteredByType() {
        DeviceEntry phone = tcp("u1", "d1").conn("c1").build();
        DeviceEntry smartphone = ws("u1", "d1").conn("c2").build();
        await(status().connected(phone));
        await(status().connected(smartphone));
        await(status().connected(tcp("u1", "d2").conn("c3").build()));

        assertThat(await(status().device("u1", "d1", Set.of()))).containsExactly(phone, smartphone);
        assertThat(await(status().device("u1", "d1", Set.of(CLIENT_TYPE_TCP)))).containsExactly(phone);
        assertThat(await(status().device("u1", "d9", Set.of()))).isEmpty();
    }

    @Test
    void devices_withUnspecifiedType_throws() {
        assertThatThrownBy(() -> status().devices("u1", Set.of(CLIENT_TYPE_UNSPECIFIED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientTypes element: CLIENT_TYPE_UNSPECIFIED"
                        + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
    }

    @Test
    void disconnected_withBlankConnId_throws() {
        assertThatThrownBy(() -> status().disconnected("u1", CLIENT_TYPE_TCP, "d1", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connId: \"\" (expected: non-blank)");
    }

    @Test
    void connected_withNullEntry_throws() {
        assertThatThrownBy(() -> status().connected(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("entry: null (expected: non-null)");
    }
}
