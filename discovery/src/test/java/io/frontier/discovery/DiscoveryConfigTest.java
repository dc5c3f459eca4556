package io.frontier.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused with the setting's name, its value and what was expected. */
class DiscoveryConfigTest {
    private static final List<String> ONE = List.of("http://127.0.0.1:2379");

    @Test
    void defaults_areTheDocumentedOnes() {
        DiscoveryConfig config = DiscoveryConfig.of(ONE);
        assertThat(config.endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(config.namespace()).isEqualTo("/frontier");
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.operationTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.firstBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void endpoints_areOneOrMoreDistinctHttpUrlsWithAPort() {
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of()))
                .withMessage("endpoints: [] (expected: at least one URL such as http://127.0.0.1:2379)");
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of("http://a:2379", "a:2379")))
                .withMessage("endpoints[1]: a:2379 (expected: http://host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of("https://a:2379")))
                .withMessage("endpoints[0]: https://a:2379 (expected: http://host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of("http://a")))
                .withMessage("endpoints[0]: http://a (expected: http://host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of("http://a:1/v3")))
                .withMessage("endpoints[0]: http://a:1/v3 (expected: http://host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> DiscoveryConfig.of(List.of("http://a:1", "http://a:1")))
                .withMessage("endpoints: [http://a:1, http://a:1] (expected: each URL once)");
        assertThat(DiscoveryConfig.of(List.of("http://etcd-0.etcd:2379", "http://[::1]:2379")).endpoints()).hasSize(2);
    }

    @Test
    void namespace_isAnAbsolutePathWithoutTrailingSlash() {
        for (String bad : new String[] {"", "/", "frontier", "/frontier/", "/a//b", "/a b"}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> DiscoveryConfig.builder(ONE).namespace(bad).build())
                    .withMessage("namespace: " + bad
                            + " (expected: / and one or more segments without spaces, no trailing /, such as /frontier)");
        }
        assertThat(DiscoveryConfig.builder(ONE).namespace("/prod/frontier").build().namespace())
                .isEqualTo("/prod/frontier");
    }

    @Test
    void leaseTtl_isWholeSecondsOfAtLeastTwo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DiscoveryConfig.builder(ONE).leaseTtl(Duration.ofSeconds(1)).build())
                .withMessage("leaseTtl: PT1S (expected: whole seconds, at least PT2S)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DiscoveryConfig.builder(ONE).leaseTtl(Duration.ofMillis(2500)).build())
                .withMessage("leaseTtl: PT2.5S (expected: whole seconds, at least PT2S)");
        assertThat(DiscoveryConfig.builder(ONE).leaseTtl(Duration.ofSeconds(2)).build().leaseTtl())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void durations_arePositive_andTheLongestBackoffNoShorterThanTheFirst() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DiscoveryConfig.builder(ONE).operationTimeout(Duration.ZERO).build())
                .withMessage("operationTimeout: PT0S (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DiscoveryConfig.builder(ONE).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .withMessage("maxBackoff: PT1S (expected: >= firstBackoff PT2S)");
    }

    @Test
    void keepAliveStall_isHalfTheTtl_butNeverShorterThanJetcdsKeepAlivePeriodPlusASecond() {
        assertThat(DiscoveryConfig.of(ONE).keepAliveStall()).isEqualTo(Duration.ofSeconds(5));
        assertThat(DiscoveryConfig.builder(ONE).leaseTtl(Duration.ofSeconds(2)).build().keepAliveStall())
                .isBetween(Duration.ofMillis(1666), Duration.ofMillis(1667));
    }
}
