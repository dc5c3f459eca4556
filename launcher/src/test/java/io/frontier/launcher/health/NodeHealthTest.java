package io.frontier.launcher.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness as the checks say it, over HTTP and gRPC health, with real sockets for HTTP. */
class NodeHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newHttpClient();
    private NodeHealth health;
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
        health.close();
    }

    @Test
    void notReadyWhileStarting_thenAsTheChecksSay_overHttpAndGrpc() throws Exception {
        AtomicBoolean draining = new AtomicBoolean();
        health = NodeHealth.start().check(() -> !draining.get(), "draining");
        health.serve("127.0.0.1", 0);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(health.grpcService()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        HealthGrpc.HealthBlockingStub grpc = HealthGrpc.newBlockingStub(channel);

        assertThat(get("/livez")).isEqualTo("200 ok\n");
        assertThat(get("/readyz")).isEqualTo("503 starting\n");
        assertThat(grpc.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);

        health.started();
        await().atMost(WAIT).until(() -> get("/readyz").equals("200 ready\n"));
        await().atMost(WAIT).until(() -> grpc.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                == ServingStatus.SERVING);

        draining.set(true);
        await().atMost(WAIT).until(() -> get("/readyz").equals("503 draining\n"));
        assertThat(grpc.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(get("/livez")).as("alive while not ready").isEqualTo("200 ok\n");
    }

    @Test
    void stopping_isNotReadyAsSoonAsItReturns_forGood() throws Exception {
        health = NodeHealth.start();
        health.serve("127.0.0.1", 0);
        health.started();
        await().atMost(WAIT).until(() -> get("/readyz").equals("200 ready\n"));

        health.stopping();
        assertThat(get("/readyz")).as("no wait for the next round of checks").isEqualTo("503 stopping\n");
        health.started();
        assertThat(health.problems()).containsExactly("stopping");
    }

    @Test
    void metrics_areServedInPrometheusFormat_withTheJvmsOwn_onlyWhenTheNodeHasThem() throws Exception {
        health = NodeHealth.start(NodeMetrics.prometheus());
        health.meters().counter("frontier.test.things").increment(3);
        health.serve("127.0.0.1", 0);

        String metrics = get("/metrics");
        assertThat(metrics).startsWith("200 ").contains("frontier_test_things_total 3.0", "jvm_memory_used_bytes",
                "process_cpu_usage");
        health.close();

        health = NodeHealth.start();
        health.serve("127.0.0.1", 0);
        assertThat(get("/metrics")).startsWith("404 ");
    }

    @Test
    void aProbeThatDoesNotAnswerInTime_orFails_isNamed() {
        CompletableFuture<Object> never = new CompletableFuture<>();
        health = NodeHealth.start()
                .probe("Redis", () -> never, Duration.ofMillis(50))
                .probe("etcd", () -> CompletableFuture.failedFuture(new IllegalStateException("down")), Duration.ofSeconds(1));
        health.started();
        await().atMost(WAIT).until(() -> health.problems().size() == 2);
        assertThat(health.problems()).containsExactly("Redis: no answer within 50 ms", "etcd: IllegalStateException");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + health.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
