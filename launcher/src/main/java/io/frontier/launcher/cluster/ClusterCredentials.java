package io.frontier.launcher.cluster;

import java.nio.file.Path;

/**
 * What the nodes of a cluster prove to each other on their internal links (see {@link ClusterLinks}): a shared
 * token, mutual TLS, both, or neither ({@link #NONE}, for tests and {@code --insecure-cluster}).
 *
 * @param token the cluster token, or null
 * @param tls   the TLS files, or null
 */
public record ClusterCredentials(String token, TlsFiles tls) {
    /** No credential: the internal links serve any caller. */
    public static final ClusterCredentials NONE = new ClusterCredentials(null, null);

    public ClusterCredentials {
        token = token == null || token.isEmpty() ? null : token;
        ControlPlaneConfig.check(token == null || !token.isBlank(), "clusterToken", "(blank)",
                "a secret shared by every node");
    }

    /** Returns a token-only set of credentials. */
    public static ClusterCredentials token(String token) {
        return new ClusterCredentials(token, null);
    }

    /** Returns whether there is no credential at all. */
    public boolean none() {
        return token == null && tls == null;
    }

    @Override
    public String toString() {
        // Never prints the token.
        return "ClusterCredentials(token " + (token == null ? "none" : "set") + ", tls " + tls + ")";
    }

    /**
     * The files of a node's TLS identity and of the cluster's CA, all PEM.
     *
     * @param cert the node's certificate chain, its own certificate first
     * @param key  its private key (PKCS#8)
     * @param ca   the certificates that vouch for peers
     */
    public record TlsFiles(Path cert, Path key, Path ca) {
        public TlsFiles {
            ControlPlaneConfig.check(cert != null && key != null && ca != null, "tls", null,
                    "--tls-cert, --tls-key and --tls-ca together");
        }
    }
}
