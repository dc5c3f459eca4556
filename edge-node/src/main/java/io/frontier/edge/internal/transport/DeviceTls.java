package io.frontier.edge.internal.transport;

import io.frontier.edge.tls.FileReloads;
import io.frontier.edge.tls.PemIdentity;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

/**
 * TLS for the devices' listeners: a server context from PEM files, on OpenSSL (BoringSSL, from
 * netty-tcnative) where it loads and the JDK's TLS otherwise, built again when the files change, so that a
 * renewed certificate serves new connections without a restart (open ones keep theirs).
 */
public final class DeviceTls implements AutoCloseable {
    /** How often the files are checked for a change. */
    static final Duration RELOAD_CHECK = Duration.ofSeconds(10);

    private final SslProvider provider;
    private final long handshakeTimeoutMillis;
    private volatile SslContext context;
    private FileReloads reloads;

    private DeviceTls(SslProvider provider, Duration handshakeTimeout) {
        this.provider = provider;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    /**
     * Reads {@code cert} and {@code key} now and checks them for changes every {@code reloadCheck}; a
     * handshake that takes longer than {@code handshakeTimeout} closes its connection.
     *
     * @throws IllegalArgumentException when the files cannot be used, saying what was expected
     */
    public static DeviceTls start(Path cert, Path key, Duration handshakeTimeout, Duration reloadCheck) {
        DeviceTls tls = new DeviceTls(OpenSsl.isAvailable() ? SslProvider.OPENSSL
                : SslProvider.JDK, handshakeTimeout);
        try {
            tls.reloads = FileReloads.start("the devices' TLS files", List.of(cert, key), reloadCheck,
                    () -> tls.load(cert, key));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("deviceTls: cannot use " + cert + " and " + key
                    + " (expected: a PEM certificate chain and its PEM private key, PKCS#8): " + e.getMessage(), e);
        }
        return tls;
    }

    /** {@link #start(Path, Path, Duration, Duration)} checking the files every {@link #RELOAD_CHECK}. */
    public static DeviceTls start(Path cert, Path key, Duration handshakeTimeout) {
        return start(cert, key, handshakeTimeout, RELOAD_CHECK);
    }

    /** Returns the TLS implementation in use: "OpenSSL" or "JDK". */
    public String provider() {
        return provider == SslProvider.OPENSSL ? "OpenSSL" : "JDK";
    }

    /** Returns a handler that puts TLS first in each new connection's pipeline, then {@code initializer}. */
    public ChannelHandler wrap(ChannelHandler initializer) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler tls = context.newHandler(ch.alloc());
                tls.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                ch.pipeline().addLast(tls, initializer);
            }
        };
    }

    /** Stops checking the files. */
    @Override
    public void close() {
        reloads.close();
    }

    private String load(Path cert, Path key) throws IOException, GeneralSecurityException {
        PemIdentity identity = PemIdentity.read(cert, key);
        context = SslContextBuilder.forServer(identity.key(), identity.chain()).sslProvider(provider).build();
        return cert + ", valid until " + identity.certificate().getNotAfter().toInstant();
    }
}
