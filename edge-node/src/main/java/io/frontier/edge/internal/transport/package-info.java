/**
 * The device listeners: one socket per protocol, served by its initializer.
 */
package io.frontier.edge.internal.transport;
