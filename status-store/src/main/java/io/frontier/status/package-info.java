/**
 * UserStatus: which devices of which users are online, on which edge, over which connection.
 *
 * <p>{@link io.frontier.status.UserStatus} is the contract the control plane codes against. It keeps
 * feature phones ({@code CLIENT_TYPE_TCP}) and smartphones ({@code CLIENT_TYPE_WS}) apart, removes an
 * entry only on the disconnect of the very connection it names, and lets a newer connection of a device
 * replace an older one. Its methods are asynchronous so that the Redis store fits behind it.
 *
 * <p>{@link io.frontier.status.InMemoryUserStatus} serves the tests (standalone reads its edge's sessions instead);
 * {@link io.frontier.status.RedisUserStatus}, configured by {@link io.frontier.status.RedisStatusConfig}
 * (standalone Redis, Sentinel or Cluster), is what the control planes of a cluster share. Both pass the same
 * behavioural tests ({@code UserStatusContract} and its siblings).
 */
package io.frontier.status;
