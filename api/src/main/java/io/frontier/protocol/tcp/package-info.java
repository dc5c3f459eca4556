/**
 * The feature phones' frame layout (PROTOCOL.md 1): commands, frames, and the codec that
 * device clients and tests use; the edge reads the same layout in its session handler.
 */
package io.frontier.protocol.tcp;
