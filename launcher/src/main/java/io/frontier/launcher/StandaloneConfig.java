package io.frontier.launcher;

import io.frontier.control.access.ApiAccess;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.control.push.PushLimits;
import io.frontier.edge.EdgeConfig;

/**
 * Settings of the standalone mode: one edge and one control plane in one process.
 *
 * @param edge            the edge's settings
 * @param grpcHost        where the Push and Admin APIs listen; loopback by default
 * @param grpcPort        their port; 0 picks a free one
 * @param pushLimits      the Push API's bounds
 * @param events          the backends that receive connection events, and how; null when none
 * @param offlineNotifier the gRPC target of the offline notifier; null when none
 * @param access          the APIs' tokens
 */
record StandaloneConfig(EdgeConfig edge, String grpcHost, int grpcPort, PushLimits pushLimits,
                        EventNotifierConfig events, String offlineNotifier, ApiAccess access) {
    /** Settings with both APIs open and no offline notifier, as tests on loopback use them. */
    StandaloneConfig(EdgeConfig edge, String grpcHost, int grpcPort, PushLimits pushLimits, EventNotifierConfig events) {
        this(edge, grpcHost, grpcPort, pushLimits, events, null, ApiAccess.OPEN);
    }

    StandaloneConfig {
        if (access == null) {
            throw new IllegalArgumentException("access: null (expected: the APIs' tokens, or ApiAccess.OPEN)");
        }
        if (grpcHost == null || grpcHost.isBlank()) {
            throw new IllegalArgumentException("grpcHost: " + grpcHost + " (expected: a host name or address)");
        }
        if (grpcPort < 0 || grpcPort > 65535) {
            throw new IllegalArgumentException("grpcPort: " + grpcPort + " (expected: 0..65535)");
        }
        if (offlineNotifier != null && offlineNotifier.isBlank()) {
            throw new IllegalArgumentException("offlineNotifier: " + offlineNotifier + " (expected: HOST:PORT, or none)");
        }
    }
}
