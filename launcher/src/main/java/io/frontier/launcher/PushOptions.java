package io.frontier.launcher;

import io.frontier.control.push.PushLimits;
import picocli.CommandLine.Option;

/** The Push API's bounds an operator sets, shared by standalone and control-plane. */
final class PushOptions {
    @Option(names = "--max-pushes-in-flight", paramLabel = "N", defaultValue = "" + PushLimits.DEFAULT_MAX_IN_FLIGHT,
            description = "Push and Broadcast calls answered at once; one more gets RESOURCE_EXHAUSTED at once,"
                    + " to retry. Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    /**
     * Returns the Push API's limits with these options.
     *
     * @throws IllegalArgumentException when a value is out of range, saying what was expected
     */
    PushLimits limits() {
        return PushLimits.DEFAULTS.withMaxInFlight(maxInFlight);
    }
}
