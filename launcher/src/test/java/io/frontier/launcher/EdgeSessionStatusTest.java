package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.ClientType;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What standalone's UserStatus does apart from its edge's sessions, which the standalone tests drive. */
class EdgeSessionStatusTest {
    private final EdgeSessionStatus status = new EdgeSessionStatus();

    @Test
    void beforeTheEdgeIsAttached_noDeviceIsOnline() {
        assertThat(status.devices("alice", Set.of()).toCompletableFuture().join()).isEmpty();
        assertThat(status.device("alice", "phone", Set.of()).toCompletableFuture().join()).isEmpty();
        assertThat(status.knownEdges().toCompletableFuture().join()).isEmpty();
    }

    @Test
    void reports_changeNothing_andAreAccepted() {
        DeviceEntry entry = new DeviceEntry("alice", ClientType.CLIENT_TYPE_TCP, "phone", "c1", "edge-1", "i1", "", 1);
        assertThat(status.connected(entry).toCompletableFuture().join()).isEqualTo(ConnectResult.added());
        assertThat(status.devices("alice", Set.of()).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void badQueries_areRejectedWithWhatWasExpected() {
        assertThatThrownBy(() -> status.devices(" ", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId").hasMessageContaining("expected");
        assertThatThrownBy(() -> status.device("alice", "", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> status.devices("alice", Set.of(ClientType.CLIENT_TYPE_UNSPECIFIED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLIENT_TYPE_TCP or CLIENT_TYPE_WS");
    }

    @Test
    void afterClose_callsFail() {
        status.close();
        assertThat(status.devices("alice", Set.of()).toCompletableFuture()).isCompletedExceptionally();
    }
}
