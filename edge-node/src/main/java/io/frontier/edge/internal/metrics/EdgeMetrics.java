package io.frontier.edge.internal.metrics;

import io.frontier.api.v1.ClientType;
import io.frontier.protocol.StatusCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of an edge's sessions, made once when the edge starts: recording one is an increment of a
 * meter held in a field or an array, never a look-up by name or a tag built per event. No label carries a
 * connection, a user or anything else a device chooses: codes a device sends map to a fixed set.
 */
public final class EdgeMetrics {
    /** The buckets of the Hello's histogram, from a fast local JWT to an authentication backend's deadline. */
    static final Duration[] HELLO_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** The close codes with a label of their own; others count as "other", a close with none as "lost". */
    private static final int[] CODES = {StatusCode.OK, StatusCode.BAD_REQUEST, StatusCode.UNAUTHORIZED,
            StatusCode.NOT_FOUND, StatusCode.TIMEOUT, StatusCode.REPLACED, StatusCode.KICKED, StatusCode.TOO_LARGE,
            StatusCode.TOO_MANY, StatusCode.INTERNAL, StatusCode.NOT_IMPLEMENTED, StatusCode.BAD_GATEWAY,
            StatusCode.DRAINING, StatusCode.GATEWAY_TIMEOUT};
    private static final int LOST = CODES.length;
    private static final int OTHER = CODES.length + 1;
    private static final ClientType[] PROTOCOLS = {ClientType.CLIENT_TYPE_TCP, ClientType.CLIENT_TYPE_WS};

    /** Why a connection was refused before its Hello was authenticated. */
    public enum Refusal {
        EDGE_FULL, ADDRESS_FULL, ADDRESS_TOO_FAST, ADDRESS_BANNED, USER_FULL, DRAINING,
        /** Closed at once without an answer: too many refused connections were waiting to be told why. */
        UNANSWERED
    }

    /** Why an authentication failed. */
    public enum AuthFailure {
        /** The token (or the backend) refused the credentials: 401. */
        REFUSED,
        /** The backend forbade the device: 403 or another 4xx. */
        FORBIDDEN,
        /** A HelloX under a key the edge does not hold, or that did not decrypt. */
        HELLOX_KEY,
        /** The authentication backend failed or did not answer in time: 502, 504. */
        BACKEND,
        /** Anything else: 500. */
        INTERNAL
    }

    /** What became of a push to one connection. */
    public enum Push {
        WRITTEN, ACKNOWLEDGED, ACK_TIMEOUT, UNWRITABLE, FAILED, OFFLINE
    }

    private static final EdgeMetrics NONE = new EdgeMetrics(new CompositeMeterRegistry());

    private final AtomicInteger[] open = new AtomicInteger[PROTOCOLS.length];
    private final Counter[] connects = new Counter[PROTOCOLS.length];
    private final Counter[][] closes = new Counter[PROTOCOLS.length][CODES.length + 2];
    private final Counter[] refusals = new Counter[Refusal.values().length];
    private final Counter[] authFailures = new Counter[AuthFailure.values().length];
    private final Counter[] pushes = new Counter[Push.values().length];
    private final Counter writeBufferFull;
    private final Timer hello;

    /** Registers the edge's meters in {@code registry}. */
    public EdgeMetrics(MeterRegistry registry) {
        for (int p = 0; p < PROTOCOLS.length; p++) {
            String protocol = protocol(PROTOCOLS[p]);
            AtomicInteger count = new AtomicInteger();
            open[p] = count;
            Gauge.builder("frontier.edge.connections", count, AtomicInteger::get)
                    .description("Open device connections, authenticated or not")
                    .tag("protocol", protocol).register(registry);
            connects[p] = Counter.builder("frontier.edge.connects")
                    .description("Device connections taken in (not refused by a limit)")
                    .tag("protocol", protocol).register(registry);
            for (int c = 0; c < closes[p].length; c++) {
                closes[p][c] = Counter.builder("frontier.edge.closes")
                        .description("Device connections closed, by Bye code (lost: closed without one)")
                        .tags("protocol", protocol, "code", codeLabel(c)).register(registry);
            }
        }
        for (Refusal refusal : Refusal.values()) {
            refusals[refusal.ordinal()] = Counter.builder("frontier.edge.refusals")
                    .description("Connections refused before authentication, by the limit that refused them")
                    .tag("reason", label(refusal)).register(registry);
        }
        for (AuthFailure failure : AuthFailure.values()) {
            authFailures[failure.ordinal()] = Counter.builder("frontier.edge.auth.failures")
                    .description("Hellos that failed authentication, by reason")
                    .tag("reason", label(failure)).register(registry);
        }
        for (Push push : Push.values()) {
            pushes[push.ordinal()] = Counter.builder("frontier.edge.pushes")
                    .description("Pushes to one connection (unicast or broadcast), by what became of them")
                    .tag("result", label(push)).register(registry);
        }
        writeBufferFull = Counter.builder("frontier.edge.write.buffer.full")
                .description("Writes skipped because the device is not reading: a push, a broadcast, a reply, a pong")
                .register(registry);
        hello = Timer.builder("frontier.edge.hello")
                .description("From a connection's opening to its device being online: handshakes and authentication")
                .serviceLevelObjectives(HELLO_BUCKETS).register(registry);
    }

    /** Returns meters that go nowhere, for an edge started without a registry. */
    public static EdgeMetrics none() {
        return NONE;
    }

    /** A connection was taken in. */
    public void opened(ClientType protocol) {
        int p = index(protocol);
        open[p].incrementAndGet();
        connects[p].increment();
    }

    /** A connection that was taken in has closed. */
    public void closedOpen(ClientType protocol) {
        open[index(protocol)].decrementAndGet();
    }

    /** A connection closed, taken in or refused, with Bye {@code code} (0: none). */
    public void closed(ClientType protocol, int code) {
        closes[index(protocol)][codeIndex(code)].increment();
    }

    public void refused(Refusal refusal) {
        refusals[refusal.ordinal()].increment();
    }

    public void authFailed(AuthFailure failure) {
        authFailures[failure.ordinal()].increment();
    }

    /** An authentication failed with Bye {@code code}. */
    public void authFailed(int code) {
        authFailed(switch (code) {
            case StatusCode.UNAUTHORIZED -> AuthFailure.REFUSED;
            case StatusCode.BAD_GATEWAY, StatusCode.GATEWAY_TIMEOUT -> AuthFailure.BACKEND;
            default -> code >= 400 && code < 500 ? AuthFailure.FORBIDDEN : AuthFailure.INTERNAL;
        });
    }

    public void push(Push result) {
        pushes[result.ordinal()].increment();
    }

    public void writeBufferFull() {
        writeBufferFull.increment();
    }

    /** A device came online {@code nanos} after its connection opened. */
    public void online(long nanos) {
        hello.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static int index(ClientType protocol) {
        return protocol == ClientType.CLIENT_TYPE_WS ? 1 : 0;
    }

    private static String protocol(ClientType type) {
        return type == ClientType.CLIENT_TYPE_WS ? "ws" : "tcp";
    }

    private static int codeIndex(int code) {
        if (code == 0) {
            return LOST;
        }
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return i;
            }
        }
        return OTHER;
    }

    private static String codeLabel(int index) {
        return index == LOST ? "lost" : index == OTHER ? "other" : Integer.toString(CODES[index]);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
