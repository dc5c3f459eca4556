package io.frontier.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;
import org.junit.jupiter.api.Test;

/** The events backends receive carry the connection, the time, and on disconnect the Bye. */
class ConnectionEventsTest {
    private static final ConnectionInfo CONN = ConnectionInfo.newBuilder().setConnId("c1").setUserId("alice").build();

    @Test
    void connected_carriesTheConnectionAndTime() {
        ConnectionEvent event = ConnectionEvents.connected(CONN, 1234);
        assertThat(event.getKind()).isEqualTo(ConnectionEvent.Kind.CONNECTED);
        assertThat(event.getConnection()).isEqualTo(CONN);
        assertThat(event.getTimeMs()).isEqualTo(1234);
        assertThat(event.getCode()).isZero();
    }

    @Test
    void disconnected_carriesTheByeCodeAndReason_aNullReasonAsEmpty() {
        ConnectionEvent event = ConnectionEvents.disconnected(CONN, 408, "idle", 99);
        assertThat(event.getKind()).isEqualTo(ConnectionEvent.Kind.DISCONNECTED);
        assertThat(event.getConnection()).isEqualTo(CONN);
        assertThat(event.getCode()).isEqualTo(408);
        assertThat(event.getReason()).isEqualTo("idle");
        assertThat(event.getTimeMs()).isEqualTo(99);
        assertThat(ConnectionEvents.disconnected(CONN, 0, null, 99).getReason()).isEmpty();
    }
}
