package io.frontier.launcher.cluster;

import io.frontier.control.access.BearerTokenInterceptor;
import io.frontier.control.access.PeerNames;
import io.frontier.edge.tls.FileReloads;
import io.frontier.edge.tls.PemIdentity;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the nodes of a cluster authenticate each other on their internal links: EdgeLink (edge to control
 * plane) and the edge's service (control plane to edge). Either or both of
 * <ul>
 *   <li>mutual TLS: each node presents a certificate from files and accepts only peers whose certificate
 *       chains to the cluster's CA; an edge may attach only as the edge id its certificate names (common
 *       name or DNS alternative name). The files are read again when they change;
 *   <li>a shared cluster token, sent as {@code authorization: Bearer TOKEN} on every internal call; over
 *       plaintext it is readable on the network, so it fits a private network only.
 * </ul>
 * Without either ({@link ClusterCredentials#NONE}: tests, {@code --insecure-cluster}) the links are open.
 */
public final class ClusterLinks implements AutoCloseable {
    /** How often the certificate files are checked for a change. */
    static final Duration RELOAD_CHECK = Duration.ofSeconds(10);

    private final String token;
    private final AdvancedTlsX509KeyManager keys;
    private final AdvancedTlsX509TrustManager trust;
    private final FileReloads reloads;

    private ClusterLinks(String token, AdvancedTlsX509KeyManager keys, AdvancedTlsX509TrustManager trust,
                         FileReloads reloads) {
        this.token = token;
        this.keys = keys;
        this.trust = trust;
        this.reloads = reloads;
    }

    /**
     * Returns the links of {@code credentials}; TLS files are read now and checked for changes every
     * {@link #RELOAD_CHECK} until {@link #close()}: a renewed certificate serves new connections at once.
     *
     * @throws IllegalArgumentException when a TLS file cannot be read as what it should hold
     */
    public static ClusterLinks start(ClusterCredentials credentials) {
        return start(credentials, RELOAD_CHECK);
    }

    /** {@link #start(ClusterCredentials)}, checking the files every {@code reloadCheck}: tests do not wait 30 s. */
    static ClusterLinks start(ClusterCredentials credentials, Duration reloadCheck) {
        ClusterCredentials.TlsFiles tls = credentials.tls();
        if (tls == null) {
            return new ClusterLinks(credentials.token(), null, null, null);
        }
        try {
            AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
            AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
                    // Peers are reached by whatever host they advertise; the cluster's own CA is what vouches.
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
            FileReloads reloads = FileReloads.start("the cluster's TLS files", List.of(tls.cert(), tls.key(), tls.ca()),
                    reloadCheck, () -> load(tls, keys, trust));
            return new ClusterLinks(credentials.token(), keys, trust, reloads);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls: cannot use " + tls + " (expected: a PEM certificate chain,"
                    + " its PEM private key (PKCS#8) and the PEM certificates of the cluster's CA): " + e.getMessage(), e);
        }
    }

    /** Puts what the files hold in the managers; returns the certificate's end of validity for the log. */
    static String load(ClusterCredentials.TlsFiles tls, AdvancedTlsX509KeyManager keys,
                       AdvancedTlsX509TrustManager trust) throws IOException, GeneralSecurityException {
        PemIdentity identity = PemIdentity.read(tls.cert(), tls.key());
        X509Certificate[] authorities = PemIdentity.certificates(tls.ca());
        keys.updateIdentityCredentials(identity.chain(), identity.key());
        trust.updateTrustCredentials(authorities);
        return tls.cert() + ", valid until " + identity.certificate().getNotAfter().toInstant();
    }

    /** Returns whether the links take callers with no credential. */
    public boolean isOpen() {
        return token == null && keys == null;
    }

    /** Returns what a server of an internal link needs: TLS that asks for a client certificate, or plaintext. */
    public ServerCredentials serverCredentials() {
        if (keys == null) {
            return InsecureServerCredentials.create();
        }
        return TlsServerCredentials.newBuilder().keyManager(keys).trustManager(trust)
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
    }

    /** Returns {@code service} behind the checks of an internal link; {@code name} names it in refusals. */
    public ServerServiceDefinition guard(BindableService service, String name) {
        List<ServerInterceptor> checks = new ArrayList<>(2);
        if (token != null) {
            checks.add(new BearerTokenInterceptor(name, token));
        }
        if (keys != null) {
            // Added last, so it runs first: the service sees the names in its Context.
            checks.add(new PeerNames());
        }
        return ServerInterceptors.intercept(service, checks);
    }

    /** Returns a channel to another node's internal link at {@code target}, with this node's credentials. */
    public NettyChannelBuilder channel(String target) {
        ChannelCredentials credentials = keys == null ? InsecureChannelCredentials.create()
                : TlsChannelCredentials.newBuilder().keyManager(keys).trustManager(trust).build();
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target, credentials);
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
            ClientInterceptor bearer = MetadataUtils.newAttachHeadersInterceptor(headers);
            builder.intercept(bearer);
        }
        return builder;
    }

    /** Returns what the links need, for a start-up line; never the secrets. */
    public String describe() {
        if (isOpen()) {
            return "internal links open (no cluster token, no TLS)";
        }
        return "internal links need " + (keys != null && token != null ? "mutual TLS and the cluster token"
                : keys != null ? "mutual TLS" : "the cluster token");
    }

    /** Stops checking the certificate files. */
    @Override
    public void close() {
        if (reloads != null) {
            reloads.close();
        }
    }

    @Override
    public String toString() {
        return "ClusterLinks(" + describe() + ")";
    }
}
