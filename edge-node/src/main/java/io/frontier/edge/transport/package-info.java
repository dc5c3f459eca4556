/**
 * The I/O transport of the device listeners (epoll or NIO).
 */
package io.frontier.edge.transport;
