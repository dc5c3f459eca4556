/**
 * The feature phones' protocol (PROTOCOL.md 1): a translator between 5-byte-header frames and
 * the session's events, with the frame codec folded into the one handler of a connection.
 */
package io.frontier.edge.internal.transport.tcp;
