package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.tls.PemIdentity;
import io.frontier.edge.transport.IoTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options of an edge, shared by {@code frontier standalone} and {@code frontier edge}. */
final class EdgeOptions {
    static final String SECRET_ENV = "FRONTIER_JWT_SECRET";

    @Option(names = "--tcp-port", defaultValue = "9000", description = "Port of feature phones (TCP). Default: ${DEFAULT-VALUE}.")
    int tcpPort;

    @Option(names = "--tcp-host", defaultValue = "0.0.0.0", description = "Address of the TCP listener. Default: ${DEFAULT-VALUE}.")
    String tcpHost;

    @Option(names = "--ws-port", defaultValue = "8080",
            description = "Port of smartphones and browsers (WebSocket at /ws, the browser page at /). Default: ${DEFAULT-VALUE}.")
    int wsPort;

    @Option(names = "--wss-port", defaultValue = "-1",
            description = "Port of WebSocket over TLS (wss://), on the --ws-host; needs --device-tls-cert and"
                    + " --device-tls-key. Default: none.")
    int wssPort;

    @Option(names = "--tcp-tls-port", defaultValue = "-1",
            description = "Port of the feature phones' protocol over TLS (no ALPN), on the --tcp-host; needs"
                    + " --device-tls-cert and --device-tls-key. Default: none.")
    int tcpTlsPort;

    @Option(names = "--device-tls-cert", paramLabel = "PEM",
            description = "The certificate chain the TLS listeners present to devices; read again when it changes.")
    Path deviceTlsCert;

    @Option(names = "--device-tls-key", paramLabel = "PEM",
            description = "The private key of --device-tls-cert (PKCS#8).")
    Path deviceTlsKey;

    @Option(names = "--hellox-key", paramLabel = "PEM",
            description = "Enables HelloX, the encrypted sessions of feature phones without TLS (PROTOCOL.md 1.6):"
                    + " X25519 private keys, PEM PKCS#8 as 'openssl genpkey -algorithm X25519' writes them, one or"
                    + " several for rotation; read again when it changes. Devices pin a public key the edge prints"
                    + " at start. Default: none (HelloX gets Bye 501).")
    Path helloXKey;

    @Option(names = "--ws-host", defaultValue = "0.0.0.0", description = "Address of the WebSocket listener. Default: ${DEFAULT-VALUE}.")
    String wsHost;

    @Option(names = "--ws-ping-interval", defaultValue = "30s", converter = Durations.Positive.class,
            description = "A WebSocket device silent this long is pinged; twice this long, closed (BYE 408). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration wsPingInterval;

    @Option(names = "--max-ws-message", defaultValue = "65536",
            description = "Largest WebSocket message accepted, in bytes (close 1009 above). Default: ${DEFAULT-VALUE}.")
    int maxWsMessage;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "Lets browsers of this origin (scheme://host[:port]) connect; repeatable. "
                    + "Without any, every origin may; with some, others get HTTP 403.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--ws-compression", description = "Accepts permessage-deflate; inflating stays bounded by --max-ws-message.")
    boolean wsCompression;

    @Option(names = "--edge-id", defaultValue = "edge-1", description = "This edge's id. Default: ${DEFAULT-VALUE}.")
    String edgeId;

    @Option(names = "--hello-timeout", defaultValue = "10s", converter = Durations.Positive.class,
            description = "Time a device has to send Hello. Default: ${DEFAULT-VALUE}.")
    Duration helloTimeout;

    @Option(names = "--idle-timeout", defaultValue = "20m", converter = Durations.Positive.class,
            description = "A device that sends nothing for this long is closed with Bye 408. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--heartbeat", defaultValue = "5m", converter = Durations.Positive.class,
            description = "Ping interval announced to devices; at most half the idle timeout. Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Option(names = "--max-tcp-payload", defaultValue = "16384",
            description = "Largest TCP frame payload accepted from a device (Bye 413 above). Default: ${DEFAULT-VALUE}.")
    int maxTcpPayload;

    @Option(names = "--max-connections", defaultValue = "1000000",
            description = "Connections the edge holds at most (Bye 429 above). Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--max-frames-per-second", defaultValue = "200",
            description = "Frames a device may send per second once online; each push it is sent allows one more, "
                    + "so its acks never count (Bye 429 above). Default: ${DEFAULT-VALUE}.")
    int maxFramesPerSecond;

    @Option(names = "--max-frames-before-online", defaultValue = "20",
            description = "Frames a connection may send before its Hello succeeds or its WebSocket is up "
                    + "(Bye 429 above). Default: ${DEFAULT-VALUE}.")
    int maxFramesBeforeOnline;

    @Option(names = "--max-connections-per-ip", defaultValue = "10000",
            description = "Connections one client IP address may hold (Bye 429, HTTP 429 above); phones behind one "
                    + "carrier NAT share an address. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerIp;

    @Option(names = "--connect-rate-per-ip", defaultValue = "200",
            description = "Connects per second one client IP address (IPv6: its /64) may make once its burst is "
                    + "spent (Bye 429, HTTP 429 above). Default: ${DEFAULT-VALUE}.")
    int connectRatePerIp;

    @Option(names = "--connect-burst-per-ip", defaultValue = "1000",
            description = "Connects one client IP address may make at once, before --connect-rate-per-ip applies. "
                    + "Default: ${DEFAULT-VALUE}.")
    int connectBurstPerIp;

    @Option(names = "--max-connections-per-user", defaultValue = "100",
            description = "Connections one user may hold on this edge, one per device; a device's reconnect replaces "
                    + "its connection (Bye 429, HTTP 429 above). Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerUser;

    @Option(names = "--auth-failures-per-ip", defaultValue = "100",
            description = "Failed authentications within --auth-failure-window that get a client IP address (IPv6: "
                    + "its /64) refused for --auth-ban (Bye 429, HTTP 429). Default: ${DEFAULT-VALUE}.")
    int authFailuresPerIp;

    @Option(names = "--auth-failure-window", defaultValue = "60s", converter = Durations.Positive.class,
            description = "The window of --auth-failures-per-ip. Default: ${DEFAULT-VALUE}.")
    Duration authFailureWindow;

    @Option(names = "--auth-ban", defaultValue = "60s", converter = Durations.Positive.class,
            description = "How long an address that failed authentication too often is refused. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration authBan;

    @Option(names = "--io-transport", defaultValue = "auto", converter = IoTransportConverter.class,
            description = "Device listeners' I/O: epoll (Linux; less memory per connection), nio, or auto "
                    + "(epoll where it loads). Default: ${DEFAULT-VALUE}.")
    IoTransport ioTransport;

    @Option(names = "--upstream-timeout", defaultValue = "5s", converter = Durations.Positive.class,
            description = "Deadline of a backend's SendMessage (504 past it). Default: ${DEFAULT-VALUE}.")
    Duration upstreamTimeout;

    @Option(names = "--route", paramLabel = "SERVICE=HOST:PORT[,timeout=D]",
            description = "Routes upstream service id SERVICE to the BackService at HOST:PORT, with its own call "
                    + "deadline when timeout is given (e.g. 1001=localhost:7100,timeout=2s). Repeatable.")
    Map<Integer, String> routes = new LinkedHashMap<>();

    @Option(names = "--auth-backend", paramLabel = "HOST:PORT",
            description = "Delegates token checks to this BackService's Auth instead of the built-in JWTs.")
    String authBackend;

    @Option(names = "--jwks-file", paramLabel = "PATH",
            description = "A JSON Web Key Set of public keys (RSA for RS256..RS512, EC for ES256..ES512) that tokens"
                    + " name by kid; several at once for rotation; read again when it changes. HS256 tokens need the"
                    + " secret as before.")
    Path jwksFile;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "The iss every token must carry. Default: any.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD",
            description = "A value every token's aud must hold. Default: any.")
    String jwtAudience;

    @Option(names = "--jwt-leeway", defaultValue = "0s", converter = Durations.NonNegative.class,
            description = "How far a token's exp, nbf and iat may be off this edge's clock (0s..10m)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration jwtLeeway;

    @Option(names = "--jwt-secret-file", paramLabel = "PATH",
            description = "Reads the HS256 token secret from PATH instead of " + SECRET_ENV + ".")
    Path jwtSecretFile;

    static final class IoTransportConverter implements ITypeConverter<IoTransport> {
        @Override
        public IoTransport convert(String value) {
            try {
                return IoTransport.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Returns the edge's settings; the caller adds what is particular to its mode, then builds. */
    EdgeConfig.Builder builder(Secret secret) {
        if (deviceTlsCert != null && deviceTlsKey != null && (tcpTlsPort >= 0 || wssPort >= 0)) {
            // Read once now, so that files that cannot be used are a setting refused at start.
            try {
                PemIdentity.read(deviceTlsCert, deviceTlsKey);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("deviceTls: cannot use " + deviceTlsCert + " and " + deviceTlsKey
                        + " (expected: a PEM certificate chain and its PEM private key, PKCS#8): " + e.getMessage(), e);
            }
        }
        return EdgeConfig.builder()
                .edgeId(edgeId)
                .ioTransport(ioTransport)
                .tcpHost(tcpHost)
                .tcpPort(tcpPort)
                .wsHost(wsHost)
                .wsPort(wsPort)
                .wssPort(wssPort)
                .tcpTlsPort(tcpTlsPort)
                .deviceTls(deviceTlsCert, deviceTlsKey)
                .helloXKeys(helloXKey)
                .wsPingInterval(wsPingInterval)
                .maxWsMessage(maxWsMessage)
                .allowedOrigins(allowedOrigins)
                .wsCompression(wsCompression)
                .helloTimeout(helloTimeout)
                .idleTimeout(idleTimeout)
                .heartbeatInterval(heartbeat)
                .maxTcpPayload(maxTcpPayload)
                .maxConnections(maxConnections)
                .maxFramesPerSecond(maxFramesPerSecond)
                .maxFramesBeforeOnline(maxFramesBeforeOnline)
                .maxConnectionsPerIp(maxConnectionsPerIp)
                .connectRatePerIp(connectRatePerIp)
                .connectBurstPerIp(connectBurstPerIp)
                .maxConnectionsPerUser(maxConnectionsPerUser)
                .authFailuresPerIp(authFailuresPerIp)
                .authFailureWindow(authFailureWindow)
                .authBan(authBan)
                .upstreamDeadline(upstreamTimeout)
                .routes(routes)
                .authBackend(authBackend)
                .jwksFile(jwksFile)
                .jwtIssuer(jwtIssuer)
                .jwtAudience(jwtAudience)
                .jwtLeeway(jwtLeeway)
                .jwtSecret(authBackend == null ? secret.value() : null);
    }

    /**
     * Returns the token secret: from --jwt-secret-file, else the environment; when
     * {@code generateIfMissing}, a random one (flagged as generated), else null.
     */
    Secret secret(Map<String, String> env, boolean generateIfMissing) throws IOException {
        if (authBackend != null) {
            return new Secret(null, false);
        }
        if (jwtSecretFile != null) {
            return new Secret(Files.readString(jwtSecretFile, StandardCharsets.UTF_8).strip(), false);
        }
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Secret(fromEnv, false);
        }
        if (!generateIfMissing || jwksFile != null) {
            // With a JWKS file, HS256 tokens are accepted only with a secret the operator gave.
            return new Secret(null, false);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
    }

    /** A token secret, and whether this run made it up. */
    record Secret(String value, boolean generated) {
    }
}
