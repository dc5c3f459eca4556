package io.frontier.edge.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A route prints as it is written on the command line and in etcd. */
class RouteTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost:7100", "localhost:7100,timeout=2s", "[::1]:7100,timeout=500ms",
        "backend:1,timeout=1500ms"})
    void route_printsAsGiven(String spec) {
        assertThat(Route.parse(spec)).hasToString(spec);
    }

    @Test
    void timeout_isTheCallDeadline() {
        assertThat(Route.parse("localhost:7100,timeout=2s").deadline()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Route.parse("localhost:7100").deadline()).isNull();
    }

    @Test
    void malformedRoute_isRefusedWithTheExpectedForm() {
        assertThatIllegalArgumentException().isThrownBy(() -> Route.parse("nohost"))
                .withMessageStartingWith("route: nohost (expected: HOST:PORT");
        assertThatIllegalArgumentException().isThrownBy(() -> Route.parse("h:1,timeout=0s"))
                .withMessage("route: h:1,timeout=0s (expected: a timeout above 0)");
    }
}
