/**
 * The WebSocket protocol (PROTOCOL.md 2): the HTTP side (browser page, authentication before
 * the upgrade), Netty's handshake and control frames with every frame counted and pings
 * answered by the session, and the translator between {@code Frame}s of the negotiated
 * sub-protocol and the session's events.
 */
package io.frontier.edge.internal.transport.ws;
