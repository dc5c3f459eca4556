/**
 * Upstream requests to backends over gRPC, with the connection as metadata.
 */
package io.frontier.edge.internal.routing;
