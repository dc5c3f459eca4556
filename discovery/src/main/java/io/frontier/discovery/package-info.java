/**
 * Service discovery over etcd for cluster mode: edges and control-plane replicas register under
 * leases, find each other by listing and watching, and backend routes live in etcd so that a new
 * route needs no restart. {@link io.frontier.discovery.EtcdDiscovery} is the entry point; it also
 * gives the control plane's {@code EdgeMembership} and {@code RouteStore} over etcd, so that the
 * control plane's rules run on etcd without the control plane knowing it.
 */
package io.frontier.discovery;
