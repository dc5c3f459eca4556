package io.frontier.status;

import static io.frontier.status.Entries.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionOrderTest {

    @Test
    void judge_withNothingRecorded_isAdded() {
        assertThat(ConnectionOrder.judge(null, tcp("u1", "d1").build())).isEqualTo(ConnectResult.added());
    }

    @Test
    void judge_ofSameConnection_isSameEvenIfTimeDiffers() {
        DeviceEntry recorded = tcp("u1", "d1").conn("c1").at(100).build();

        assertThat(ConnectionOrder.judge(recorded, tcp("u1", "d1").conn("c1").at(200).build()))
                .isEqualTo(ConnectResult.same());
    }

    @Test
    void judge_ofLaterConnection_isReplacedWithRecorded() {
        DeviceEntry recorded = tcp("u1", "d1").conn("c9").at(100).build();

        assertThat(ConnectionOrder.judge(recorded, tcp("u1", "d1").conn("c1").at(101).build()))
                .isEqualTo(ConnectResult.replaced(recorded));
    }

    @Test
    void judge_ofEarlierConnection_isStaleWithRecorded() {
        DeviceEntry recorded = tcp("u1", "d1").conn("c1").at(100).build();

        assertThat(ConnectionOrder.judge(recorded, tcp("u1", "d1").conn("c9").at(99).build()))
                .isEqualTo(ConnectResult.stale(recorded));
    }

    @Test
    void judge_atSameMillisecond_largerConnIdWins() {
        DeviceEntry small = tcp("u1", "d1").conn("c-a").at(100).build();
        DeviceEntry large = tcp("u1", "d1").conn("c-b").at(100).build();

        assertThat(ConnectionOrder.judge(small, large)).isEqualTo(ConnectResult.replaced(small));
        assertThat(ConnectionOrder.judge(large, small)).isEqualTo(ConnectResult.stale(large));
    }
}
