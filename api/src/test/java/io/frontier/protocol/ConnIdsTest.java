package io.frontier.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnIdsTest {
    @Test
    void next_isUniqueAndCarriesTheEdgeAddress() {
        InetSocketAddress edge = new InetSocketAddress("10.1.2.3", 9000);
        ConnIds ids = new ConnIds(edge, () -> 1_700_000_000_000L);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertThat(seen.add(id)).isTrue();
            assertThat(ConnIds.edgeAddress(id)).isEqualTo(edge);
        }
        assertThat(seen.iterator().next()).hasSize(28).startsWith("6553f100");
    }

    @Test
    void twoEdges_neverShareAnId() {
        ConnIds a = new ConnIds(new InetSocketAddress("10.0.0.1", 9000), () -> 0L);
        ConnIds b = new ConnIds(new InetSocketAddress("10.0.0.1", 9001), () -> 0L);
        assertThat(ConnIds.edgeAddress(a.next())).isNotEqualTo(ConnIds.edgeAddress(b.next()));
    }

    @Test
    void ipv6Edge_roundTrips() {
        InetSocketAddress edge = new InetSocketAddress("::1", 9000);
        assertThat(ConnIds.edgeAddress(new ConnIds(edge, System::currentTimeMillis).next())).isEqualTo(edge);
    }

    @Test
    void edgeAddress_ofGarbage_saysWhatWasExpected() {
        assertThatThrownBy(() -> ConnIds.edgeAddress("nope"))
                .hasMessage("conn_id: \"nope\" (expected: 28 or 52 hex digits, as the edge gave it)");
        assertThatThrownBy(() -> ConnIds.edgeAddress("zz".repeat(14)))
                .hasMessageContaining("expected: hex digits");
    }
}
