package io.frontier.edge.internal.transport.ws;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * How a WebSocket ends when the error behind it dictates more than its Bye code: the close
 * status, and whether a BYE goes first (not after a frame the decoder could not read).
 */
record WsClose(WebSocketCloseStatus status, boolean withBye) {
}
