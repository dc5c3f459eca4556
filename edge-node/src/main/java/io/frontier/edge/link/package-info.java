/**
 * EdgeLink, the edge's side: one gRPC stream to a control plane that carries every connect
 * and disconnect, a snapshot on each attach, and reconnects on its own.
 */
package io.frontier.edge.link;
