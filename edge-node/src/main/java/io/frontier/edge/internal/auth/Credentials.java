package io.frontier.edge.internal.auth;

import io.frontier.api.v1.ClientType;

/** What a device presents to authenticate. {@code deviceId} may be empty when the token carries it. */
public record Credentials(String token, String deviceId, ClientType clientType, String clientAddr, String appVersion) {
}
