package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.frontier.acceptance.LocalCluster.Node;
import io.frontier.testing.ThrowawayCa;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What someone who reaches a cluster's internal ports can do, with a gRPC client of their own (Node's
 * grpc-js, from the distribution's .proto files): without a certificate of the cluster's CA, nothing; with
 * one that names another node, not pose as an edge. Before, an outsider attached as a live edge with an
 * empty snapshot and took its devices offline, and listed, pushed to and kicked every device of an edge.
 */
class ClusterSecurityIT {
    private static final int UNAVAILABLE = 14;
    private static final int PERMISSION_DENIED = 7;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(1, 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void edgeLink_refusesOutsiders_andAnEdgeCertificateThatNamesAnotherEdge_theDeviceStaysOnline() {
        Node cp = cluster.controlPlane(0);
        Node edge = cluster.edge(0);
        String ca = cluster.caFile().toString();
        try (RawTcpDevice device = RawTcpDevice.online(edge.tcpPort(), cluster.token("sec-alice", "phone-1"), "phone-1")
                .autoAck()) {
            Awaitility.await("sec-alice online").atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.ctl("user", "--target", cp.grpcTarget(), "sec-alice").exit() == 0);

            assertThat(code(GrpcTool.linkAttach(cp.linkTarget(), "edge-1", List.of()))).as("plaintext")
                    .isEqualTo(UNAVAILABLE);
            assertThat(code(GrpcTool.linkAttach(cp.linkTarget(), "edge-1", List.of("--tls-ca", ca))))
                    .as("TLS without a client certificate").isEqualTo(UNAVAILABLE);
            ThrowawayCa.Identity stranger = ThrowawayCa.create("stranger-ca").issue("edge-1",
                    cluster.caFile().resolveSibling("stranger"));
            assertThat(code(GrpcTool.linkAttach(cp.linkTarget(), "edge-1", tls(ca, stranger))))
                    .as("a certificate of another CA").isEqualTo(UNAVAILABLE);
            JsonObject posing = GrpcTool.linkAttach(cp.linkTarget(), "edge-1", tls(ca, cluster.issue("edge-9")));
            assertThat(code(posing)).as("edge-9's certificate posing as edge-1: %s", posing).isEqualTo(PERMISSION_DENIED);
            assertThat(posing.get("details").getAsString()).isEqualTo("the client certificate does not name edge \"edge-1\"");

            Ctl.Result push = cluster.ctl("push", "--target", cp.grpcTarget(), "--user", "sec-alice", "--text", "still here",
                    "--wait-ack");
            assertThat(push.exit()).as("%s", push).isZero();
            assertThat(device.pushes()).contains("still here");
        }
    }

    @Test
    void edgeService_servesOnlyACallerWithACertificateOfTheClustersCa() {
        Node edge = cluster.edge(0);
        String ca = cluster.caFile().toString();

        assertThat(code(GrpcTool.edgeCall(edge.grpcTarget(), List.of()))).as("plaintext").isEqualTo(UNAVAILABLE);
        assertThat(code(GrpcTool.edgeCall(edge.grpcTarget(), List.of("--tls-ca", ca, "--token", "guess"))))
                .as("TLS without a client certificate").isEqualTo(UNAVAILABLE);

        JsonObject member = GrpcTool.edgeCall(edge.grpcTarget(), tls(ca, cluster.issue("cp-9")));
        assertThat(code(member)).as("a control plane's certificate: %s", member).isZero();
    }

    private static List<String> tls(String ca, ThrowawayCa.Identity identity) {
        return List.of("--tls-ca", ca, "--tls-cert", identity.cert().toString(), "--tls-key", identity.key().toString());
    }

    private static int code(JsonObject event) {
        return event.has("code") ? event.get("code").getAsInt() : 0;
    }
}
