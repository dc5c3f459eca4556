package io.frontier.control.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ticker of production: it ticks, outlives a tick that throws, and takes its thread along when closed. */
class ScheduledTickerTest {
    private static final String THREAD = "frontier-ticker-test";

    private final Ticker ticker = Ticker.every(Duration.ofMillis(10), THREAD);

    @AfterEach
    void stop() {
        ticker.close();
    }

    @Test
    void ticksAgainAndAgain_evenAfterATickThatThrew_onItsOwnThread() {
        AtomicInteger ticks = new AtomicInteger();
        ticker.start(() -> {
            assertThat(Thread.currentThread().getName()).isEqualTo(THREAD);
            if (ticks.incrementAndGet() == 1) {
                throw new IllegalStateException("the first tick fails");
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 3);
    }

    @Test
    void close_endsItsThread() {
        AtomicInteger ticks = new AtomicInteger();
        ticker.start(ticks::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 1);

        ticker.close();

        // The worker signals the executor's end just before its thread ends.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(THREAD)));
    }

    @Test
    void interval_mustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> Ticker.every(Duration.ZERO, THREAD))
                .withMessage("interval: PT0S (expected: > 0)");
    }
}
