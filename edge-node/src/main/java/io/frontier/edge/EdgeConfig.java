package io.frontier.edge;

import io.frontier.edge.routing.Route;
import io.frontier.edge.transport.IoTransport;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
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
    private final String tcpHost;
    private final int tcpPort;
    private final InetSocketAddress advertisedAddress;
    private final int maxTcpPayload;
    private final Duration helloTimeout;
    private final Duration idleTimeout;
    private final Duration heartbeatInterval;
    private final int maxConnections;
    private final int maxPendingAcks;
    private final int maxUpstreamInFlight;
    private final Duration upstreamDeadline;
    private final Duration authDeadline;
    private final String jwtSecret;
    private final String authBackend;
    private final Map<Integer, Route> routes;
    private final WriteBufferWaterMark writeBufferWaterMark;
    private final int ioThreads;
    private final IoTransport ioTransport;
    private final String wsHost;
    private final int wsPort;
    private final Duration wsPingInterval;
    private final int maxWsMessage;
    private final List<String> allowedOrigins;
    private final boolean wsCompression;

    private EdgeConfig(Builder b) {
        this.edgeId = b.edgeId;
        this.tcpHost = b.tcpHost;
        this.tcpPort = b.tcpPort;
        this.advertisedAddress = b.advertisedAddress;
        this.maxTcpPayload = b.maxTcpPayload;
        this.helloTimeout = b.helloTimeout;
        this.idleTimeout = b.idleTimeout;
        this.heartbeatInterval = b.heartbeatInterval;
        this.maxConnections = b.maxConnections;
        this.maxPendingAcks = b.maxPendingAcks;
        this.maxUpstreamInFlight = b.maxUpstreamInFlight;
        this.upstreamDeadline = b.upstreamDeadline;
        this.authDeadline = b.authDeadline;
        this.jwtSecret = b.jwtSecret;
        this.authBackend = b.authBackend;
        this.routes = parseRoutes(b.routes);
        this.writeBufferWaterMark = new WriteBufferWaterMark(b.writeBufferLowWaterMark, b.writeBufferHighWaterMark);
        this.ioThreads = b.ioThreads;
        this.ioTransport = b.ioTransport;
        this.wsHost = b.wsHost;
        this.wsPort = b.wsPort;
        this.wsPingInterval = b.wsPingInterval;
        this.maxWsMessage = b.maxWsMessage;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.wsCompression = b.wsCompression;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.edgeId = edgeId;
        b.tcpHost = tcpHost;
        b.tcpPort = tcpPort;
        b.advertisedAddress = advertisedAddress;
        b.maxTcpPayload = maxTcpPayload;
        b.helloTimeout = helloTimeout;
        b.idleTimeout = idleTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.maxConnections = maxConnections;
        b.maxPendingAcks = maxPendingAcks;
        b.maxUpstreamInFlight = maxUpstreamInFlight;
        b.upstreamDeadline = upstreamDeadline;
        b.authDeadline = authDeadline;
        b.jwtSecret = jwtSecret;
        b.authBackend = authBackend;
        b.routes = new TreeMap<>();
        routes.forEach((service, route) -> b.routes.put(service, route.toString()));
        b.writeBufferLowWaterMark = writeBufferWaterMark.low();
        b.writeBufferHighWaterMark = writeBufferWaterMark.high();
        b.ioThreads = ioThreads;
        b.ioTransport = ioTransport;
        b.wsHost = wsHost;
        b.wsPort = wsPort;
        b.wsPingInterval = wsPingInterval;
        b.maxWsMessage = maxWsMessage;
        b.allowedOrigins = new ArrayList<>(allowedOrigins);
        b.wsCompression = wsCompression;
        return b;
    }

    public String edgeId() {
        return edgeId;
    }

    public String tcpHost() {
        return tcpHost;
    }

    /** Returns the TCP port devices connect to; 0 picks a free one. */
    public int tcpPort() {
        return tcpPort;
    }

    /**
     * Returns the address other nodes know this edge by, which connection ids carry;
     * null means the bound TCP address.
     */
    public InetSocketAddress advertisedAddress() {
        return advertisedAddress;
    }

    public int maxTcpPayload() {
        return maxTcpPayload;
    }

    public Duration helloTimeout() {
        return helloTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Returns the interval announced to devices in the Hello reply. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxPendingAcks() {
        return maxPendingAcks;
    }

    public int maxUpstreamInFlight() {
        return maxUpstreamInFlight;
    }

    public Duration upstreamDeadline() {
        return upstreamDeadline;
    }

    public Duration authDeadline() {
        return authDeadline;
    }

    /** Returns the HS256 secret of built-in tokens, or null when a backend authenticates. */
    public String jwtSecret() {
        return jwtSecret;
    }

    /** Returns the gRPC target of the backend whose Auth checks tokens, or null. */
    public String authBackend() {
        return authBackend;
    }

    /** Returns the backend of each upstream service id. */
    public Map<Integer, Route> routes() {
        return routes;
    }

    public String wsHost() {
        return wsHost;
    }

    /** Returns the WebSocket port of smartphones and browsers; 0 picks a free one. */
    public int wsPort() {
        return wsPort;
    }

    /** Returns how long a WebSocket connection may be silent before the server pings it; twice that closes it. */
    public Duration wsPingInterval() {
        return wsPingInterval;
    }

    /** Returns the largest WebSocket message accepted (1009 above). */
    public int maxWsMessage() {
        return maxWsMessage;
    }

    /** Returns the origins a browser may connect from; empty allows any. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Returns whether WebSocket messages may be compressed (permessage-deflate). */
    public boolean wsCompression() {
        return wsCompression;
    }

    private static Map<Integer, Route> parseRoutes(Map<Integer, String> specs) {
        Map<Integer, Route> parsed = new TreeMap<>();
        specs.forEach((service, spec) -> parsed.put(service, Route.parse(spec)));
        return Map.copyOf(parsed);
    }

    /** Returns the write buffer water marks of device connections: one instance, shared by all of them. */
    public WriteBufferWaterMark writeBufferWaterMark() {
        return writeBufferWaterMark;
    }

    /** Returns the number of event loop threads; 0 means one per core. */
    public int ioThreads() {
        return ioThreads;
    }

    /** The device listeners' I/O transport; AUTO picks epoll where it loads. */
    public IoTransport ioTransport() {
        return ioTransport;
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
        private int maxUpstreamInFlight = 16;
        private Duration upstreamDeadline = Duration.ofSeconds(5);
        private Duration authDeadline = Duration.ofSeconds(3);
        private String jwtSecret;
        private String authBackend;
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

        private Builder() {
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
            check(maxUpstreamInFlight > 0 && maxUpstreamInFlight <= 1024, "maxUpstreamInFlight", maxUpstreamInFlight, "1..1024");
            positive("upstreamDeadline", upstreamDeadline);
            positive("authDeadline", authDeadline);
            check(jwtSecret != null || authBackend != null, "jwtSecret", null,
                    "a secret (FRONTIER_JWT_SECRET) or an auth backend");
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
