package io.frontier.edge.auth;

/** Who an authenticated device is. */
public record Identity(String userId, String deviceId) {
}
