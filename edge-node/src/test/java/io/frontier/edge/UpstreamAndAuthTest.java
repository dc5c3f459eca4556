package io.frontier.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpResponse;
import io.frontier.device.ByeException;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.protocol.StatusCode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Upstream Data routed to backends by service id, and authentication delegated to a backend. */
class UpstreamAndAuthTest {
    private FakeBackend backend;
    private EdgeFixture fixture;

    @BeforeEach
    void startBackend() throws Exception {
        backend = new FakeBackend();
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        backend.close();
    }

    private TcpDeviceClient online(EdgeConfig.Builder config) throws Exception {
        fixture = new EdgeFixture(config);
        TcpDeviceClient device = fixture.connect();
        device.hello(Tokens.valid("alice", null), "phone-1", "2.1").orTimeout(10, TimeUnit.SECONDS).join();
        return device;
    }

    private static TcpResponse request(TcpDeviceClient device, int service, String text) {
        return device.request(service, text.getBytes(), "text").orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void data_reachesTheBackendOfItsService_andTheReplyComesBack() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults().route(1001, backend.target()));
        TcpResponse response = request(device, 1001, "hi");
        assertThat(response.getStatus()).isEqualTo(StatusCode.OK);
        assertThat(response.getPayload().toStringUtf8()).isEqualTo("hi");
        SendMessageRequest seen = backend.received.get(0);
        assertThat(seen.getService()).isEqualTo(1001);
        assertThat(seen.getPayloadType()).isEqualTo("text");
        assertThat(seen.getConnection().getUserId()).isEqualTo("alice");
        assertThat(seen.getConnection().getDeviceId()).isEqualTo("phone-1");
        assertThat(seen.getConnection().getClientType()).isEqualTo(ClientType.CLIENT_TYPE_TCP);
        assertThat(seen.getConnection().getAppVersion()).isEqualTo("2.1");
    }

    @Test
    void routesReplacedAtRunTime_takeEffectWithoutARestart() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults());
        assertThat(request(device, 1001, "x").getStatus()).isEqualTo(StatusCode.NOT_FOUND);
        fixture.edge.routes().update(java.util.Map.of(1001, io.frontier.edge.routing.Route.parse(backend.target())));
        assertThat(request(device, 1001, "now").getPayload().toStringUtf8()).isEqualTo("now");
        fixture.edge.routes().update(java.util.Map.of());
        assertThat(request(device, 1001, "x").getStatus()).isEqualTo(StatusCode.NOT_FOUND);
    }

    @Test
    void data_forAServiceWithoutBackend_is404() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults().route(1001, backend.target()));
        assertThat(request(device, 7, "x").getStatus()).isEqualTo(StatusCode.NOT_FOUND);
    }

    @Test
    void data_toASlowBackend_is504AfterTheDeadline_andPingsStillWork() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults().route(1002, backend.target())
                .upstreamDeadline(Duration.ofMillis(300)));
        var pending = device.request(1002, "x".getBytes(), "");
        device.ping().orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(pending.orTimeout(10, TimeUnit.SECONDS).join().getStatus()).isEqualTo(StatusCode.GATEWAY_TIMEOUT);
    }

    @Test
    void data_toAFailingBackend_is502() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults().route(1003, backend.target()));
        TcpResponse response = request(device, 1003, "x");
        assertThat(response.getStatus()).isEqualTo(StatusCode.BAD_GATEWAY);
        assertThat(response.getMessage()).isEqualTo("service 1003 failed: INTERNAL");
    }

    @Test
    void data_toAnUnreachableBackend_is502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                logged.add(event);
            }
        };
        Logger router = (Logger) LoggerFactory.getLogger(UpstreamRouter.class);
        Level level = router.getLevel();
        router.setLevel(Level.INFO);
        appender.start();
        router.addAppender(appender);
        try {
            TcpDeviceClient device = online(EdgeFixture.defaults().route(1001, "127.0.0.1:" + closedPort));
            assertThat(request(device, 1001, "x").getStatus()).isEqualTo(StatusCode.BAD_GATEWAY);
        } finally {
            router.detachAppender(appender);
            router.setLevel(level);
        }
        List<String> connIds = new CopyOnWriteArrayList<>();
        fixture.edge.registry().forEach(session -> connIds.add(session.connId()));
        String connId = connIds.get(0);
        assertThat(logged).singleElement().satisfies(event -> {
            assertThat(event.getThrowableProxy()).isNull();
            assertThat(event.getFormattedMessage())
                    .startsWith("conn " + connId + ": service 1001 failed: UNAVAILABLE")
                    .doesNotContain("\n")
                    .hasSizeLessThan(400);
        });
    }

    @Test
    void requestsInFlight_areBounded_with429() throws Exception {
        TcpDeviceClient device = online(EdgeFixture.defaults().route(1002, backend.target()).maxUpstreamInFlight(2));
        device.request(1002, "1".getBytes(), "");
        device.request(1002, "2".getBytes(), "");
        assertThat(request(device, 1002, "3").getStatus()).isEqualTo(StatusCode.TOO_MANY);
    }

    @Test
    void backendAuth_acceptsItsTokens_andTheBackendNamesTheUser() throws Exception {
        fixture = new EdgeFixture(EdgeConfig.builder().authBackend(backend.target()));
        TcpDeviceClient device = fixture.connect();
        TcpHelloAck ack = device.hello("good", "phone-1", "").orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(ack.getUserId()).isEqualTo("bob");
    }

    @Test
    void backendAuth_refusal_isBye401() throws Exception {
        fixture = new EdgeFixture(EdgeConfig.builder().authBackend(backend.target()));
        TcpDeviceClient device = fixture.connect();
        assertThat(byeCode(device, "bad")).isEqualTo(StatusCode.UNAUTHORIZED);
    }

    @Test
    void backendAuth_unreachable_isBye502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        fixture = new EdgeFixture(EdgeConfig.builder().authBackend("127.0.0.1:" + closedPort));
        TcpDeviceClient device = fixture.connect();
        assertThat(byeCode(device, "good")).isEqualTo(StatusCode.BAD_GATEWAY);
    }

    private static int byeCode(TcpDeviceClient device, String token) {
        try {
            device.hello(token, "phone-1", "").orTimeout(10, TimeUnit.SECONDS).join();
            throw new AssertionError("hello succeeded");
        } catch (CompletionException e) {
            return ((ByeException) e.getCause()).code();
        }
    }
}
