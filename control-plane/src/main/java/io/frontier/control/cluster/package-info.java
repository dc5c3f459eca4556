/**
 * What keeps UserStatus true to the cluster (SYSTEM.md): an edge whose registration goes loses its
 * entries at once, and a sweep removes those of edges that went while no control plane watched,
 * so that they are gone within the lease TTL plus one sweep; a status store that lost its data has
 * every attached edge send its snapshot again. Discovery comes in through {@link
 * io.frontier.control.cluster.EdgeMembership} and time through {@link io.frontier.control.cluster.Ticker},
 * so that this package knows nothing of etcd and tests drive both. {@link
 * io.frontier.control.cluster.ClusterUpkeep} puts the parts together.
 */
package io.frontier.control.cluster;
