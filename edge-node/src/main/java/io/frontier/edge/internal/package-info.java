/**
 * The edge's implementation. Public only so that its packages can see each other: no
 * caller outside the edge module uses it.
 */
package io.frontier.edge.internal;
