package io.frontier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The etcd fixture through etcd's own JSON gateway: outages, restarts on the same port, lost data. */
class EtcdServerTest {
    // base64 of "k" and "v"
    private static final String PUT = "{\"key\":\"aw==\",\"value\":\"dg==\"}";
    private static final String RANGE = "{\"key\":\"aw==\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void start_servesOnALoopbackEndpoint() throws Exception {
        try (EtcdServer etcd = new EtcdServer().start()) {
            assertThat(etcd.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(etcd.isRunning()).isTrue();
            post(etcd, "/v3/kv/put", PUT);
            assertThat(post(etcd, "/v3/kv/range", RANGE)).contains("\"value\":\"dg==\"");
        }
    }

    @Test
    void killThenStart_comesBackOnTheSamePortWithItsData() throws Exception {
        try (EtcdServer etcd = new EtcdServer().start()) {
            String endpoint = etcd.endpoint();
            post(etcd, "/v3/kv/put", PUT);

            etcd.kill();
            assertThat(etcd.isRunning()).isFalse();
            etcd.start();

            assertThat(etcd.endpoint()).isEqualTo(endpoint);
            assertThat(post(etcd, "/v3/kv/range", RANGE)).contains("\"value\":\"dg==\"");
        }
    }

    @Test
    void stop_deleteData_start_beginsAnEmptyCluster() throws Exception {
        try (EtcdServer etcd = new EtcdServer().start()) {
            post(etcd, "/v3/kv/put", PUT);
            assertThatIllegalStateException().isThrownBy(etcd::deleteData).withMessage("stop etcd before deleting its data");

            etcd.stop();
            etcd.stop();
            etcd.deleteData();
            etcd.start();

            assertThat(post(etcd, "/v3/kv/range", RANGE)).doesNotContain("kvs");
            assertThatIllegalStateException().isThrownBy(etcd::start).withMessageStartingWith("etcd is running already");
        }
    }

    @Test
    void freeze_stopsAnsweringUntilThawed() throws Exception {
        try (EtcdServer etcd = new EtcdServer().start()) {
            etcd.freeze();
            assertThat(answers(etcd)).isFalse();

            etcd.thaw();
            assertThat(answers(etcd)).isTrue();
        }
    }

    @Test
    void aMissingBinary_failsLoudly_withWhatToRun() {
        assertThatIllegalStateException()
                .isThrownBy(() -> EtcdServer.findBinary("/nonexistent", List.of(Path.of("/nonexistent/etcd"))))
                .withMessage("etcd is not installed: run ./frontier test, which installs it");
    }

    private String post(EtcdServer etcd, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.endpoint() + path))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private boolean answers(EtcdServer etcd) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
