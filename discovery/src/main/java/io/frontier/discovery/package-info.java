/**
 * Service discovery over etcd for cluster mode: edges and control-plane replicas register under
 * leases, find each other by listing and watching, and backend routes live in etcd so that a new
 * route needs no restart. {@link io.frontier.discovery.EtcdDiscovery} is the entry point.
 */
package io.frontier.discovery;
