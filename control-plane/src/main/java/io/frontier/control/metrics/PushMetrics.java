package io.frontier.control.metrics;

import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.PushReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Locale;

/** What became of each device a push reached, or tried to: one count per outcome of a reply. */
public final class PushMetrics {
    private static final DeviceOutcome.Outcome[] OUTCOMES = DeviceOutcome.Outcome.values();

    private final Counter[] outcomes = new Counter[OUTCOMES.length];

    public PushMetrics(MeterRegistry registry) {
        for (DeviceOutcome.Outcome outcome : OUTCOMES) {
            if (outcome == DeviceOutcome.Outcome.UNRECOGNIZED || outcome == DeviceOutcome.Outcome.OUTCOME_UNSPECIFIED) {
                continue;
            }
            outcomes[outcome.ordinal()] = Counter.builder("frontier.push.outcomes")
                    .description("Outcomes of pushes, one per device a Push or PushMany reached or tried to")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    /** Returns meters that go nowhere. */
    public static PushMetrics none() {
        return new PushMetrics(new CompositeMeterRegistry());
    }

    /** Counts the outcomes of {@code reply}. */
    public void replied(PushReply reply) {
        for (int i = 0; i < reply.getOutcomesCount(); i++) {
            Counter counter = outcomes[reply.getOutcomes(i).getOutcome().ordinal()];
            if (counter != null) {
                counter.increment();
            }
        }
    }
}
