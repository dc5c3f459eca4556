package io.frontier.edge.internal.session;

import io.frontier.api.v1.DeviceOutcome.Outcome;

/** What became of one push on one connection. */
public record PushResult(Outcome outcome, String reason) {
    static final PushResult DELIVERED = new PushResult(Outcome.DELIVERED, "");
    static final PushResult ACKNOWLEDGED = new PushResult(Outcome.ACKNOWLEDGED, "");

    static PushResult failed(String reason) {
        return new PushResult(Outcome.FAILED, reason);
    }
}
