/** TLS identities from PEM files, shared by the devices' listeners and the cluster's internal links. */
package io.frontier.edge.tls;
