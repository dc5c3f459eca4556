package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline notifier of a control plane ({@code --offline-notifier}), a Node gRPC server here: it gets
 * pushes for offline smartphones, and never one for a feature phone, whatever the target.
 */
class NotifierIT {
    private static GrpcTool notifier;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        int port = Ports.free();
        notifier = GrpcTool.notifier(port);
        cluster = LocalCluster.start(1, 1, "--offline-notifier", "127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (notifier != null) {
            notifier.close();
        }
    }

    private static List<String> outcomes(String request) {
        JsonObject reply = GrpcTool.push(cluster.controlPlane(0).grpcTarget(), request, 0, Duration.ofSeconds(60));
        assertThat(reply.get("code").getAsInt()).as("%s", reply).isZero();
        List<String> outcomes = new ArrayList<>();
        JsonArray all = reply.getAsJsonArray("outcomes");
        for (JsonElement o : all) {
            outcomes.add(o.getAsJsonObject().get("outcome").getAsString());
        }
        return outcomes;
    }

    private static List<String> notifiedUsers() {
        return notifier.events("notify").stream().map(n -> n.get("user_id").getAsString()).toList();
    }

    @Test
    void onlineFeaturePhone_getsThePush_andNothingGoesToTheNotifier() {
        try (RawTcpDevice device = RawTcpDevice.online(cluster.edge(0).tcpPort(), cluster.token("nf-alice", "phone-1"),
                "phone-1").autoAck()) {
            Awaitility.await("nf-alice online").atMost(Duration.ofSeconds(20)).until(() -> cluster.ctl("user",
                    "--target", cluster.controlPlane(0).grpcTarget(), "nf-alice").exit() == 0);
            assertThat(outcomes("{\"user\":{\"user_id\":\"nf-alice\"},\"payload\":\"to the phone\"}"))
                    .containsExactly("DELIVERED");
            assertThat(outcomes("{\"device\":{\"user_id\":\"nf-alice\",\"device_id\":\"phone-1\"},\"payload\":\"d\"}"))
                    .containsExactly("DELIVERED");
        }
        Awaitility.await("nf-alice offline").atMost(Duration.ofSeconds(20)).until(() -> cluster.ctl("user",
                "--target", cluster.controlPlane(0).grpcTarget(), "nf-alice").exit() == 1);
        assertThat(outcomes("{\"device\":{\"user_id\":\"nf-alice\",\"device_id\":\"phone-1\"},\"payload\":\"gone\"}"))
                .as("an offline device of unknown type may be a feature phone").containsExactly("OFFLINE");
        // The notifier answers what it was given; a push it got would be printed before the next reply.
        assertThat(outcomes("{\"device\":{\"user_id\":\"nf-bob\",\"device_id\":\"tablet\",\"client_types\":"
                + "[\"CLIENT_TYPE_WS\"]},\"payload\":\"to the notifier\"}")).containsExactly("OFFLINE_NOTIFIED");
        Awaitility.await("the smartphone's push reaches the notifier").atMost(Duration.ofSeconds(10))
                .until(() -> notifiedUsers().contains("nf-bob"));
        assertThat(notifiedUsers()).doesNotContain("nf-alice");
    }
}
