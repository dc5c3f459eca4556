/**
 * One edge: the device listeners, sessions, delivery and administration of a node that
 * devices connect to. {@code EdgeNode} starts one from an {@code EdgeConfig}. The rest of the
 * public surface: {@code session} (what listeners hear of devices), {@code link} (the stream to
 * the control plane), {@code routing} (upstream routes) and {@code transport} (the I/O choice).
 * Everything under {@code internal} is the edge's own and may change without notice.
 */
package io.frontier.edge;
