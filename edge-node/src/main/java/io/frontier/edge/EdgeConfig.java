package io.frontier.edge;

import io.frontier.edge.routing.Route;
import io.frontier.edge.transport.IoTransport;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The edge's settings, validated once when built. Every limit a device could push
 * against has a bound here.
 */
public final class EdgeConfig {
    private final String edgeId;
    private final InetSocketAddress advertisedAddress;
    private final Tcp tcp;
    private final Ws ws;
    private final Sessions sessions;
    private final Auth auth;
    private final Upstream upstream;
    private final Threads threads;
    private final Tls tls;

    /**
     * The feature phones' listener and protocol (PROTOCOL.md 1).
     *
     * @param port the port devices connect to; 0 picks a free one
     * @param heartbeatInterval the interval announced to devices in the Hello reply
     * @param helloXKeys a PEM file of the X25519 private keys of HelloX (PROTOCOL.md 1.6); null when the
     *     edge answers HelloX with Bye 501
     */
    public record Tcp(String host, int port, int maxPayload, Duration idleTimeout, Duration heartbeatInterval,
                      Path helloXKeys) {
    }

    /**
     * The WebSocket listener of smartphones and browsers (PROTOCOL.md 2).
     *
     * @param port the port, also of the browser page; 0 picks a free one
     * @param pingInterval how long a connection may be silent before the server pings it; twice that closes it
     * @param maxMessage the largest message accepted (1009 above)
     * @param allowedOrigins the origins a browser may connect from; empty allows any
     * @param compression whether messages may be compressed (permessage-deflate)
     */
    public record Ws(String host, int port, Duration pingInterval, int maxMessage, List<String> allowedOrigins,
                     boolean compression) {
    }

    /**
     * What every connection may hold or send, whatever its protocol.
     *
     * @param helloTimeout how long a new connection has for its Hello (TCP) or upgrade (WebSocket)
     * @param maxFramesPerSecond frames a device may send per second once online (Bye 429 above); each push
     *     it is sent allows one more, so that its acks never count against it
     * @param maxFramesBeforeOnline frames a connection may send before it is online (Bye 429 above)
     * @param maxConnectionsPerIp connections one client IP address may hold (Bye 429 above); devices behind
     *     one carrier NAT share an address, so the default is high
     * @param connectRatePerIp connects per second one client IP address (IPv6: /64 network) may make, after
     *     {@code connectBurstPerIp} at once (Bye 429 above)
     * @param maxConnectionsPerUser connections one user may hold on this edge, one per device (Bye 429 above)
     * @param authFailuresPerIp failed authentications within {@code authFailureWindow} that ban a client IP
     *     address (IPv6: /64 network) for {@code authBan} (Bye 429 while banned)
     * @param writeBufferWaterMark the write buffer water marks: one instance, shared by every connection
     */
    public record Sessions(int maxConnections, Duration helloTimeout, int maxPendingAcks, int maxFramesPerSecond,
                           int maxFramesBeforeOnline, int maxConnectionsPerIp, int connectRatePerIp,
                           int connectBurstPerIp, int maxConnectionsPerUser, int authFailuresPerIp,
                           Duration authFailureWindow, Duration authBan, WriteBufferWaterMark writeBufferWaterMark) {
    }

    /**
     * How devices authenticate: built-in HS256 tokens, or a backend's Auth.
     *
     * @param jwtSecret the secret of built-in HS256 tokens, or null for none
     * @param backend the gRPC target of the backend whose Auth checks tokens, or null
     * @param jwksFile a JSON Web Key Set of public keys (RS256..RS512, ES256..ES512) that tokens name by
     *                 {@code kid}, read again when it changes; null for none
     * @param issuer the {@code iss} tokens must carry, or null for any
     * @param audience a value tokens' {@code aud} must hold, or null for any
     * @param leeway how far a token's {@code exp}, {@code nbf} and {@code iat} may be off the edge's clock
     */
    public record Auth(String jwtSecret, String backend, Duration deadline, Path jwksFile, String issuer,
                       String audience, Duration leeway) {
    }

    /**
     * Where devices' upstream requests go.
     *
     * @param routes the backend of each service id
     * @param maxInFlight requests one connection may have in flight (429 above)
     */
    public record Upstream(Map<Integer, Route> routes, Duration deadline, int maxInFlight) {
    }

    /**
     * The device listeners' event loops.
     *
     * @param ioThreads the number of event loop threads; 0 means one per core
     * @param ioTransport the I/O transport; AUTO picks epoll where it loads
     */
    public record Threads(int ioThreads, IoTransport ioTransport) {
    }

    /**
     * TLS for devices: the certificate the listeners below present, and which of them there are. Each
     * serves the same protocol as its plain listener, on the same host, wrapped in TLS (no ALPN).
     *
     * @param cert    the certificate chain, PEM; null when devices get no TLS listener
     * @param key     its private key, PEM (PKCS#8)
     * @param tcpPort the port of the feature phones' protocol over TLS; -1 for none, 0 picks a free one
     * @param wsPort  the port of WebSocket over TLS ({@code wss://}); -1 for none, 0 picks a free one
     */
    public record Tls(Path cert, Path key, int tcpPort, int wsPort) {
        /** Returns whether any TLS listener is asked for. */
        public boolean enabled() {
            return tcpPort >= 0 || wsPort >= 0;
        }
    }

    private EdgeConfig(Builder b) {
        this.edgeId = b.edgeId;
        this.advertisedAddress = b.advertisedAddress;
        this.tcp = new Tcp(b.tcpHost, b.tcpPort, b.maxTcpPayload, b.idleTimeout, b.heartbeatInterval, b.helloXKeys);
        this.ws = new Ws(b.wsHost, b.wsPort, b.wsPingInterval, b.maxWsMessage, List.copyOf(b.allowedOrigins),
                b.wsCompression);
        this.sessions = new Sessions(b.maxConnections, b.helloTimeout, b.maxPendingAcks, b.maxFramesPerSecond,
                b.maxFramesBeforeOnline, b.maxConnectionsPerIp, b.connectRatePerIp, b.connectBurstPerIp,
                b.maxConnectionsPerUser, b.authFailuresPerIp, b.authFailureWindow, b.authBan,
                new WriteBufferWaterMark(b.writeBufferLowWaterMark, b.writeBufferHighWaterMark));
        this.auth = new Auth(b.jwtSecret, b.authBackend, b.authDeadline, b.jwksFile, b.jwtIssuer, b.jwtAudience,
                b.jwtLeeway);
        this.upstream = new Upstream(parseRoutes(b.routes), b.upstreamDeadline, b.maxUpstreamInFlight);
        this.threads = new Threads(b.ioThreads, b.ioTransport);
        this.tls = new Tls(b.tlsCert, b.tlsKey, b.tcpTlsPort, b.wssPort);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.edgeId = edgeId;
        b.advertisedAddress = advertisedAddress;
        b.tcpHost = tcp.host();
        b.tcpPort = tcp.port();
        b.maxTcpPayload = tcp.maxPayload();
        b.idleTimeout = tcp.idleTimeout();
        b.heartbeatInterval = tcp.heartbeatInterval();
        b.helloXKeys = tcp.helloXKeys();
        b.wsHost = ws.host();
        b.wsPort = ws.port();
        b.wsPingInterval = ws.pingInterval();
        b.maxWsMessage = ws.maxMessage();
        b.allowedOrigins = new ArrayList<>(ws.allowedOrigins());
        b.wsCompression = ws.compression();
        b.maxConnections = sessions.maxConnections();
        b.helloTimeout = sessions.helloTimeout();
        b.maxPendingAcks = sessions.maxPendingAcks();
        b.maxFramesPerSecond = sessions.maxFramesPerSecond();
        b.maxFramesBeforeOnline = sessions.maxFramesBeforeOnline();
        b.maxConnectionsPerIp = sessions.maxConnectionsPerIp();
        b.connectRatePerIp = sessions.connectRatePerIp();
        b.connectBurstPerIp = sessions.connectBurstPerIp();
        b.maxConnectionsPerUser = sessions.maxConnectionsPerUser();
        b.authFailuresPerIp = sessions.authFailuresPerIp();
        b.authFailureWindow = sessions.authFailureWindow();
        b.authBan = sessions.authBan();
        b.writeBufferLowWaterMark = sessions.writeBufferWaterMark().low();
        b.writeBufferHighWaterMark = sessions.writeBufferWaterMark().high();
        b.jwtSecret = auth.jwtSecret();
        b.authBackend = auth.backend();
        b.authDeadline = auth.deadline();
        b.jwksFile = auth.jwksFile();
        b.jwtIssuer = auth.issuer();
        b.jwtAudience = auth.audience();
        b.jwtLeeway = auth.leeway();
        b.routes = new TreeMap<>();
        upstream.routes().forEach((service, route) -> b.routes.put(service, route.toString()));
        b.upstreamDeadline = upstream.deadline();
        b.maxUpstreamInFlight = upstream.maxInFlight();
        b.ioThreads = threads.ioThreads();
        b.ioTransport = threads.ioTransport();
        b.tlsCert = tls.cert();
        b.tlsKey = tls.key();
        b.tcpTlsPort = tls.tcpPort();
        b.wssPort = tls.wsPort();
        return b;
    }

    public String edgeId() {
        return edgeId;
    }

    /**
     * Returns the address other nodes know this edge by, which connection ids carry;
     * null means the bound TCP address.
     */
    public InetSocketAddress advertisedAddress() {
        return advertisedAddress;
    }

    public Tcp tcp() {
        return tcp;
    }

    public Ws ws() {
        return ws;
    }

    public Sessions sessions() {
        return sessions;
    }

    public Auth auth() {
        return auth;
    }

    public Upstream upstream() {
        return upstream;
    }

    public Threads threads() {
        return threads;
    }

    public Tls tls() {
        return tls;
    }

    private static Map<Integer, Route> parseRoutes(Map<Integer, String> specs) {
        Map<Integer, Route> parsed = new TreeMap<>();
        specs.forEach((service, spec) -> parsed.put(service, Route.parse(spec)));
        return Map.copyOf(parsed);
    }

    /** Collects settings; {@link #build()} validates them all. */
    public static final class Builder {
        private String edgeId = "edge-1";
        private String tcpHost = "0.0.0.0";
        private int tcpPort = 9000;
        private InetSocketAddress advertisedAddress;
        private int maxTcpPayload = 16384;
        private Duration helloTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(20);
        private Duration heartbeatInterval = Duration.ofMinutes(5);
        private int maxConnections = 1_000_000;
        private int maxPendingAcks = 64;
        private int maxFramesPerSecond = 200;
        private int maxFramesBeforeOnline = 20;
        private int maxConnectionsPerIp = 10_000;
        private int connectRatePerIp = 200;
        private int connectBurstPerIp = 1_000;
        private int maxConnectionsPerUser = 100;
        private int authFailuresPerIp = 100;
        private Duration authFailureWindow = Duration.ofSeconds(60);
        private Duration authBan = Duration.ofSeconds(60);
        private int maxUpstreamInFlight = 16;
        private Duration upstreamDeadline = Duration.ofSeconds(5);
        private Duration authDeadline = Duration.ofSeconds(3);
        private String jwtSecret;
        private String authBackend;
        private Path jwksFile;
        private String jwtIssuer;
        private String jwtAudience;
        private Duration jwtLeeway = Duration.ZERO;
        private Map<Integer, String> routes = new TreeMap<>();
        private int writeBufferLowWaterMark = 32 * 1024;
        private int writeBufferHighWaterMark = 64 * 1024;
        private int ioThreads;
        private IoTransport ioTransport = IoTransport.AUTO;
        private String wsHost = "0.0.0.0";
        private int wsPort = 8080;
        private Duration wsPingInterval = Duration.ofSeconds(30);
        private int maxWsMessage = 64 * 1024;
        private List<String> allowedOrigins = new ArrayList<>();
        private boolean wsCompression;
        private Path tlsCert;
        private Path tlsKey;
        private int tcpTlsPort = -1;
        private int wssPort = -1;
        private Path helloXKeys;

        private Builder() {
        }

        /** A JSON Web Key Set of the public keys that sign tokens (RS*, ES*), by {@code kid}; null for none. */
        public Builder jwksFile(Path v) {
            jwksFile = v;
            return this;
        }

        /** The {@code iss} every token must carry; null for any. */
        public Builder jwtIssuer(String v) {
            jwtIssuer = v;
            return this;
        }

        /** A value every token's {@code aud} must hold; null for any. */
        public Builder jwtAudience(String v) {
            jwtAudience = v;
            return this;
        }

        /** How far a token's times may be off the edge's clock. */
        public Builder jwtLeeway(Duration v) {
            jwtLeeway = v;
            return this;
        }

        /** The certificate chain and key (PEM) the TLS listeners present; both null for none. */
        public Builder deviceTls(Path cert, Path key) {
            tlsCert = cert;
            tlsKey = key;
            return this;
        }

        /** A PEM file of the X25519 private keys of HelloX; null (the default) for none: HelloX gets Bye 501. */
        public Builder helloXKeys(Path v) {
            helloXKeys = v;
            return this;
        }

        /** The port of the feature phones' protocol over TLS; -1 (the default) for none. */
        public Builder tcpTlsPort(int v) {
            tcpTlsPort = v;
            return this;
        }

        /** The port of WebSocket over TLS; -1 (the default) for none. */
        public Builder wssPort(int v) {
            wssPort = v;
            return this;
        }

        public Builder edgeId(String v) {
            edgeId = v;
            return this;
        }

        public Builder tcpHost(String v) {
            tcpHost = v;
            return this;
        }

        public Builder tcpPort(int v) {
            tcpPort = v;
            return this;
        }

        public Builder advertisedAddress(InetSocketAddress v) {
            advertisedAddress = v;
            return this;
        }

        public Builder maxTcpPayload(int v) {
            maxTcpPayload = v;
            return this;
        }

        public Builder helloTimeout(Duration v) {
            helloTimeout = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxPendingAcks(int v) {
            maxPendingAcks = v;
            return this;
        }

        public Builder maxFramesPerSecond(int v) {
            maxFramesPerSecond = v;
            return this;
        }

        public Builder maxFramesBeforeOnline(int v) {
            maxFramesBeforeOnline = v;
            return this;
        }

        public Builder maxConnectionsPerIp(int v) {
            maxConnectionsPerIp = v;
            return this;
        }

        /** Connects per second one client IP address may make once its {@link #connectBurstPerIp} is spent. */
        public Builder connectRatePerIp(int v) {
            connectRatePerIp = v;
            return this;
        }

        public Builder connectBurstPerIp(int v) {
            connectBurstPerIp = v;
            return this;
        }

        public Builder maxConnectionsPerUser(int v) {
            maxConnectionsPerUser = v;
            return this;
        }

        /** Failed authentications within {@link #authFailureWindow} that ban an address for {@link #authBan}. */
        public Builder authFailuresPerIp(int v) {
            authFailuresPerIp = v;
            return this;
        }

        public Builder authFailureWindow(Duration v) {
            authFailureWindow = v;
            return this;
        }

        public Builder authBan(Duration v) {
            authBan = v;
            return this;
        }

        public Builder maxUpstreamInFlight(int v) {
            maxUpstreamInFlight = v;
            return this;
        }

        public Builder upstreamDeadline(Duration v) {
            upstreamDeadline = v;
            return this;
        }

        public Builder authDeadline(Duration v) {
            authDeadline = v;
            return this;
        }

        public Builder jwtSecret(String v) {
            jwtSecret = v;
            return this;
        }

        public Builder authBackend(String v) {
            authBackend = v;
            return this;
        }

        /** Routes {@code service} to {@code spec}: {@code host:port}, optionally {@code ,timeout=2s}. */
        public Builder route(int service, String spec) {
            routes.put(service, spec);
            return this;
        }

        public Builder routes(Map<Integer, String> v) {
            routes = new TreeMap<>(v);
            return this;
        }

        public Builder writeBufferWaterMarks(int low, int high) {
            writeBufferLowWaterMark = low;
            writeBufferHighWaterMark = high;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder ioTransport(IoTransport v) {
            ioTransport = v;
            return this;
        }

        public Builder wsHost(String v) {
            wsHost = v;
            return this;
        }

        public Builder wsPort(int v) {
            wsPort = v;
            return this;
        }

        public Builder wsPingInterval(Duration v) {
            wsPingInterval = v;
            return this;
        }

        public Builder maxWsMessage(int v) {
            maxWsMessage = v;
            return this;
        }

        /** Allows browsers of these origins only ({@code scheme://host[:port]}); none allows any. */
        public Builder allowedOrigins(List<String> v) {
            allowedOrigins = new ArrayList<>(v);
            return this;
        }

        public Builder wsCompression(boolean v) {
            wsCompression = v;
            return this;
        }

        /**
         * Returns the validated config.
         *
         * @throws IllegalArgumentException naming the first setting that is out of range
         */
        public EdgeConfig build() {
            check(edgeId != null && !edgeId.isBlank() && edgeId.length() <= 64, "edgeId", edgeId, "1 to 64 characters");
            check(tcpHost != null && !tcpHost.isBlank(), "tcpHost", tcpHost, "a host name or address");
            check(tcpPort >= 0 && tcpPort <= 65535, "tcpPort", tcpPort, "0..65535");
            check(maxTcpPayload >= 64 && maxTcpPayload <= 65535, "maxTcpPayload", maxTcpPayload, "64..65535");
            positive("helloTimeout", helloTimeout);
            positive("idleTimeout", idleTimeout);
            positive("heartbeatInterval", heartbeatInterval);
            check(idleTimeout.compareTo(heartbeatInterval.multipliedBy(2)) >= 0, "idleTimeout", idleTimeout,
                    "at least twice heartbeatInterval " + heartbeatInterval + ", so that one lost ping does not close a device");
            check(heartbeatInterval.toSeconds() >= 1 && heartbeatInterval.toSeconds() <= 0xFFFF_FFFFL,
                    "heartbeatInterval", heartbeatInterval, "whole seconds, at least 1s");
            check(maxConnections > 0, "maxConnections", maxConnections, "> 0");
            check(maxPendingAcks > 0 && maxPendingAcks <= 1024, "maxPendingAcks", maxPendingAcks, "1..1024");
            check(maxFramesPerSecond >= 10 && maxFramesPerSecond <= 1_000_000, "maxFramesPerSecond", maxFramesPerSecond,
                    "10..1000000");
            check(maxFramesBeforeOnline >= 2 && maxFramesBeforeOnline <= 10_000, "maxFramesBeforeOnline",
                    maxFramesBeforeOnline, "2..10000");
            check(maxConnectionsPerIp > 0, "maxConnectionsPerIp", maxConnectionsPerIp, "> 0");
            check(connectRatePerIp >= 1 && connectRatePerIp <= 1_000_000, "connectRatePerIp", connectRatePerIp,
                    "1..1000000 connects per second");
            check(connectBurstPerIp >= 1 && connectBurstPerIp <= 1_000_000, "connectBurstPerIp", connectBurstPerIp,
                    "1..1000000 connects");
            check(maxConnectionsPerUser > 0, "maxConnectionsPerUser", maxConnectionsPerUser, "> 0");
            check(authFailuresPerIp >= 1 && authFailuresPerIp <= 65_535, "authFailuresPerIp", authFailuresPerIp,
                    "1..65535");
            positive("authFailureWindow", authFailureWindow);
            positive("authBan", authBan);
            check(maxUpstreamInFlight > 0 && maxUpstreamInFlight <= 1024, "maxUpstreamInFlight", maxUpstreamInFlight, "1..1024");
            positive("upstreamDeadline", upstreamDeadline);
            positive("authDeadline", authDeadline);
            check(jwtSecret != null || jwksFile != null || authBackend != null, "jwtSecret", null,
                    "a secret (FRONTIER_JWT_SECRET), a JWKS file, or an auth backend");
            check(jwtIssuer == null || !jwtIssuer.isBlank(), "jwtIssuer", "(blank)", "an issuer, or none");
            check(jwtAudience == null || !jwtAudience.isBlank(), "jwtAudience", "(blank)", "an audience, or none");
            Objects.requireNonNull(jwtLeeway, "jwtLeeway");
            check(!jwtLeeway.isNegative() && jwtLeeway.compareTo(Duration.ofMinutes(10)) <= 0, "jwtLeeway", jwtLeeway,
                    "0s..10m");
            check(jwtSecret == null || jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32,
                    "jwtSecret", "<" + (jwtSecret == null ? 0 : jwtSecret.length()) + " characters>",
                    "at least 32 bytes, the HS256 key size");
            for (Map.Entry<Integer, String> route : routes.entrySet()) {
                check(route.getKey() != null && route.getKey() > 0, "route", route.getKey(), "a service id > 0");
                Route.parse(route.getValue());
            }
            check(writeBufferLowWaterMark > 0 && writeBufferHighWaterMark >= writeBufferLowWaterMark,
                    "writeBufferWaterMarks", writeBufferLowWaterMark + "/" + writeBufferHighWaterMark, "0 < low <= high");
            check(ioThreads >= 0, "ioThreads", ioThreads, ">= 0");
            check(ioTransport != null, "ioTransport", ioTransport, "auto, epoll or nio");
            try {
                ioTransport.resolve();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("ioTransport: " + e.getMessage(), e);
            }
            check(wsHost != null && !wsHost.isBlank(), "wsHost", wsHost, "a host name or address");
            check(wsPort >= 0 && wsPort <= 65535, "wsPort", wsPort, "0..65535");
            positive("wsPingInterval", wsPingInterval);
            check(maxWsMessage >= 1024 && maxWsMessage <= 16 * 1024 * 1024, "maxWsMessage", maxWsMessage,
                    "1024..16777216 bytes");
            for (String origin : allowedOrigins) {
                check(origin != null && origin.matches("https?://[^/\\s]+"), "allowedOrigin", origin,
                        "scheme://host[:port], such as https://app.example.com");
            }
            check(tcpTlsPort >= -1 && tcpTlsPort <= 65535, "tcpTlsPort", tcpTlsPort, "0..65535, or -1 for none");
            check(wssPort >= -1 && wssPort <= 65535, "wssPort", wssPort, "0..65535, or -1 for none");
            boolean listeners = tcpTlsPort >= 0 || wssPort >= 0;
            check(!listeners || tlsCert != null && tlsKey != null, "deviceTls", "no certificate and key",
                    "a certificate and its key (--device-tls-cert, --device-tls-key) for the TLS listeners");
            check(listeners || tlsCert == null && tlsKey == null, "deviceTls", "a certificate and key",
                    "a TLS listener to use them (--tcp-tls-port or --wss-port)");
            return new EdgeConfig(this);
        }

        private static void positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            check(!value.isNegative() && !value.isZero(), name, value, "> 0");
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
            }
        }
    }
}
