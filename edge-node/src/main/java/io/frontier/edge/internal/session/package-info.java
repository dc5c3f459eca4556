/**
 * The session layer: {@code DeviceSession}, the one state machine of a device connection
 * whatever its protocol (admission, Hello, registration, pushes and acks, upstream requests,
 * limits, deadlines, Bye, close-once), the {@code Transport} each protocol implements, the
 * registry of sessions and the per-event-loop deadline sweep. Every rule both protocols share
 * lives here, once.
 */
package io.frontier.edge.internal.session;
