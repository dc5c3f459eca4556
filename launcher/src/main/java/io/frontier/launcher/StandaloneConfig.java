package io.frontier.launcher;

import io.frontier.control.events.EventNotifierConfig;
import io.frontier.control.push.PushLimits;
import io.frontier.edge.EdgeConfig;

/**
 * Settings of the standalone mode: one edge, one control plane, the in-memory store.
 *
 * @param edge       the edge's settings
 * @param grpcHost   where the Push API listens; loopback by default, since it has no access control yet
 * @param grpcPort   the Push API's port; 0 picks a free one
 * @param pushLimits the Push API's bounds
 * @param events     the backends that receive connection events, and how; null when none
 */
record StandaloneConfig(EdgeConfig edge, String grpcHost, int grpcPort, PushLimits pushLimits,
                        EventNotifierConfig events) {
    StandaloneConfig {
        if (grpcHost == null || grpcHost.isBlank()) {
            throw new IllegalArgumentException("grpcHost: " + grpcHost + " (expected: a host name or address)");
        }
        if (grpcPort < 0 || grpcPort > 65535) {
            throw new IllegalArgumentException("grpcPort: " + grpcPort + " (expected: 0..65535)");
        }
    }
}
