package io.frontier.edge.internal.transport.ws;

import io.frontier.protocol.StatusCode;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * The WebSocket close status that follows a BYE (RFC 6455 7.4.1): the protocol's codes
 * travel in the BYE, the close status tells generic clients and proxies the gist.
 */
final class CloseStatus {
    private CloseStatus() {
    }

    static WebSocketCloseStatus forBye(int code) {
        return switch (code) {
            case StatusCode.OK -> WebSocketCloseStatus.NORMAL_CLOSURE;
            case StatusCode.BAD_REQUEST -> WebSocketCloseStatus.PROTOCOL_ERROR;
            case StatusCode.TOO_LARGE -> WebSocketCloseStatus.MESSAGE_TOO_BIG;
            case StatusCode.DRAINING -> WebSocketCloseStatus.ENDPOINT_UNAVAILABLE;
            case StatusCode.INTERNAL -> WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
            default -> WebSocketCloseStatus.POLICY_VIOLATION;
        };
    }
}
