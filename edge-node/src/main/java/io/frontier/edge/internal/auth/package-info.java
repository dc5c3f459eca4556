/**
 * How devices authenticate: built-in HS256 tokens, or a backend's {@code Auth}.
 */
package io.frontier.edge.internal.auth;
