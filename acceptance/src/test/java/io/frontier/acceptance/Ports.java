package io.frontier.acceptance;

import io.frontier.testing.FreePorts;

/** Free TCP ports for the processes the tests start: below the ephemeral range (see {@link FreePorts}). */
final class Ports {
    private Ports() {
    }

    /** Returns a port that was free a moment ago. */
    static int free() {
        return FreePorts.next();
    }
}
