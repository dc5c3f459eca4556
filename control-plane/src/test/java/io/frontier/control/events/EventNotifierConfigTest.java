package io.frontier.control.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused with the setting's name, its value and what was expected. */
class EventNotifierConfigTest {
    private static final List<String> ONE = List.of("localhost:7100");

    @Test
    void defaults_areTheDocumentedOnes() {
        EventNotifierConfig config = EventNotifierConfig.of(ONE);
        assertThat(config.backends()).containsExactly("localhost:7100");
        assertThat(config.queueCapacity()).isEqualTo(10_000);
        assertThat(config.maxTries()).isEqualTo(3);
        assertThat(config.firstBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.jitter()).isEqualTo(0.2);
        assertThat(config.callDeadline()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void backends_mustBeAtLeastOneDistinctNonBlankTarget() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventNotifierConfig.of(List.of()))
                .withMessage("backends: [] (expected: at least one gRPC target such as host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> EventNotifierConfig.of(Arrays.asList("a:1", " ")))
                .withMessage("backends[1]:   (expected: a gRPC target such as host:port)");
        assertThatIllegalArgumentException().isThrownBy(() -> EventNotifierConfig.of(List.of("a:1", "a:1")))
                .withMessage("backends: [a:1, a:1] (expected: each target once)");
    }

    @Test
    void tries_andCapacity_mustBeAtLeastOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventNotifierConfig.builder(ONE).maxTries(0).build())
                .withMessage("maxTries: 0 (expected: >= 1)");
        assertThatIllegalArgumentException().isThrownBy(() -> EventNotifierConfig.builder(ONE).queueCapacity(0).build())
                .withMessage("queueCapacity: 0 (expected: >= 1)");
    }

    @Test
    void durations_mustBePositive_andTheCapNoShorterThanTheFirstWait() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventNotifierConfig.builder(ONE).backoff(Duration.ZERO, Duration.ofSeconds(1)).build())
                .withMessage("firstBackoff: PT0S (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventNotifierConfig.builder(ONE).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .withMessage("maxBackoff: PT1S (expected: >= firstBackoff PT2S)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventNotifierConfig.builder(ONE).callDeadline(Duration.ofMillis(-1)).build())
                .withMessage("callDeadline: PT-0.001S (expected: > 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventNotifierConfig.builder(ONE).jitter(1.5).build())
                .withMessage("jitter: 1.5 (expected: 0..1)");
    }

    @Test
    void backends_areCopied() {
        List<String> targets = new java.util.ArrayList<>(ONE);
        EventNotifierConfig config = EventNotifierConfig.of(targets);
        targets.add("other:1");
        assertThat(config.backends()).containsExactly("localhost:7100");
    }
}
