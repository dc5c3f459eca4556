/**
 * Pushes from the control plane to this edge's sessions: unicast with per-connection outcomes,
 * broadcast batched per event loop, kicks, and the edge's gRPC service.
 */
package io.frontier.edge.internal.delivery;
