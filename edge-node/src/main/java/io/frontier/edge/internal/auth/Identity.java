package io.frontier.edge.internal.auth;

/** Who an authenticated device is. */
public record Identity(String userId, String deviceId) {
}
