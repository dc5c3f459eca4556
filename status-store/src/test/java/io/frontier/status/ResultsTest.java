package io.frontier.status;

import static io.frontier.status.Entries.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.status.ConnectResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultsTest {

    private final DeviceEntry entry = tcp("u1", "d1").build();

    @Test
    void connectResult_factories_carryOtherOnlyForReplacedAndStale() {
        assertThat(ConnectResult.added()).isEqualTo(new ConnectResult(Outcome.ADDED, Optional.empty()));
        assertThat(ConnectResult.same()).isEqualTo(new ConnectResult(Outcome.SAME, Optional.empty()));
        assertThat(ConnectResult.replaced(entry).other()).contains(entry);
        assertThat(ConnectResult.stale(entry).other()).contains(entry);
    }

    @Test
    void connectResult_replacedWithoutOther_throws() {
        assertThatThrownBy(() -> new ConnectResult(Outcome.REPLACED, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other: Optional.empty (expected: present for REPLACED)");
    }

    @Test
    void connectResult_addedWithOther_throws() {
        assertThatThrownBy(() -> new ConnectResult(Outcome.ADDED, Optional.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: empty for ADDED)");
    }

    @Test
    void reconcileResult_copiesConflicts() {
        List<ConnectResult> conflicts = new ArrayList<>(List.of(ConnectResult.stale(entry)));

        ReconcileResult result = new ReconcileResult(1, 0, conflicts);
        conflicts.clear();

        assertThat(result.conflicts()).containsExactly(ConnectResult.stale(entry));
    }

    @Test
    void reconcileResult_withNegativeCount_throws() {
        assertThatThrownBy(() -> new ReconcileResult(0, -1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("removed: -1 (expected: >= 0)");
    }
}
