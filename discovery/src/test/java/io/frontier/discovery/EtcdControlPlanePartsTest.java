package io.frontier.discovery;

import static io.frontier.discovery.EtcdDiscoveryTest.bytes;
import static io.frontier.discovery.EtcdDiscoveryTest.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.frontier.api.v1.ControlPlaneRecord;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.admin.RouteStore;
import io.frontier.control.cluster.EdgeMembership;
import io.frontier.testing.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What EtcdDiscovery gives the cluster's nodes against one real etcd: the control plane's edge
 * membership and route store, and the edges' list of control planes. Each test has a namespace of its own.
 */
class EtcdControlPlanePartsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static EtcdServer etcd;
    private static Client raw;

    private final String namespace = "/parts" + NAMESPACES.incrementAndGet();
    private final Closer resources = new Closer();

    @BeforeAll
    static void startEtcd() {
        etcd = new EtcdServer().start();
        raw = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void stopEtcd() {
        raw.close();
        etcd.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    @Test
    void edgeMembership_reportsRecordsParsed_thenSynced_thenDeletesWithTheRecordThatWent() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration first = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(first::isRegistered);
        Recorder recorder = new Recorder();
        resources.add(discovery().edgeMembership().watch(recorder));
        recorder.await("synced");
        assertThat(recorder.calls).containsExactly("put edge-1 i1", "synced");

        first.close();

        recorder.await("delete edge-1 i1");
        assertThat(recorder.records).containsEntry("edge-1", edge("edge-1", "i1"));
    }

    @Test
    void edgeMembership_leavesAnUnreadablePutOut_andReportsItsDeleteWithoutARecord() throws Exception {
        Recorder recorder = new Recorder();
        resources.add(discovery().edgeMembership().watch(recorder));
        recorder.await("synced");
        ByteSequence key = bytes(namespace + "/edges/edge-bad");

        raw.getKVClient().put(key, ByteSequence.from(new byte[] {(byte) 0xFF})).get(5, TimeUnit.SECONDS);
        raw.getKVClient().delete(key).get(5, TimeUnit.SECONDS);

        recorder.await("delete edge-bad null");
        assertThat(recorder.calls).containsExactly("synced", "delete edge-bad null");
    }

    @Test
    void edgeMembership_whoseWatchIsClosed_hearsNoMore_andNoneIsGivenOnceClosed() throws Exception {
        EtcdDiscovery discovery = discovery();
        Recorder recorder = new Recorder();
        EdgeMembership.Subscription watch = discovery.edgeMembership().watch(recorder);
        recorder.await("synced");

        watch.close();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);
        // A second watch opened after the registration hears of it; the closed one never did.
        Recorder later = new Recorder();
        resources.add(discovery.edgeMembership().watch(later));
        later.await("synced");

        assertThat(recorder.calls).containsExactly("synced");
        discovery.close();
        assertThatIllegalStateException().isThrownBy(discovery::edgeMembership);
    }

    @Test
    void watchControlPlanes_handsOverEveryRegisteredAddress_afterEachChange() throws Exception {
        EtcdDiscovery discovery = discovery();
        AtomicReference<List<String>> addresses = new AtomicReference<>(List.of());
        resources.add(discovery().watchControlPlanes(addresses::set));

        Registration one = discovery.register(EtcdDiscovery.CONTROL_PLANES, "cp-1", controlPlane("cp-1", "10.0.0.1:7000"));
        Registration two = discovery.register(EtcdDiscovery.CONTROL_PLANES, "cp-2", controlPlane("cp-2", "10.0.0.2:7000"));
        await().atMost(WAIT).until(() -> addresses.get().size() == 2);
        assertThat(addresses.get()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");

        one.close();
        await().atMost(WAIT).until(() -> addresses.get().equals(List.of("10.0.0.2:7000")));
        two.close();
        await().atMost(WAIT).until(() -> addresses.get().isEmpty());
    }

    @Test
    void routeStore_putsListsAndDeletesTheRoutesInEtcd() throws Exception {
        EtcdDiscovery discovery = discovery();
        RouteStore routes = discovery.routeStore();

        routes.put(1001, "localhost:7100,timeout=2s").get(5, TimeUnit.SECONDS);
        routes.put(7, "10.0.0.3:7100").get(5, TimeUnit.SECONDS);

        assertThat(routes.list().get(5, TimeUnit.SECONDS))
                .containsExactly(Map.entry(7, "10.0.0.3:7100"), Map.entry(1001, "localhost:7100,timeout=2s"));
        assertThat(discovery().routes().get(5, TimeUnit.SECONDS)).containsOnlyKeys(7, 1001);
        assertThat(routes.delete(7).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(routes.delete(7).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(routes.list().get(5, TimeUnit.SECONDS)).containsOnlyKeys(1001);
    }

    private EtcdDiscovery discovery() {
        return resources.add(EtcdDiscovery.connect(
                DiscoveryConfig.builder(List.of(etcd.endpoint())).namespace(namespace).leaseTtl(Duration.ofSeconds(2))
                        .build()));
    }

    private static Supplier<byte[]> controlPlane(String id, String address) {
        return ControlPlaneRecord.newBuilder().setId(id).setGrpcAddress(address).build()::toByteArray;
    }

    /** Records each call as a line: "put ID INSTANCE", "delete ID INSTANCE" (null when unreadable), "synced". */
    private static final class Recorder implements EdgeMembership.Listener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<String, EdgeRecord> records = new ConcurrentHashMap<>();

        @Override
        public void onPut(EdgeRecord edge) {
            records.put(edge.getEdgeId(), edge);
            calls.add("put " + edge.getEdgeId() + " " + edge.getInstanceId());
        }

        @Override
        public void onDelete(String edgeId, EdgeRecord previous) {
            calls.add("delete " + edgeId + " " + (previous == null ? null : previous.getInstanceId()));
        }

        @Override
        public void onSynced() {
            calls.add("synced");
        }

        void await(String call) {
            Awaitility.await().atMost(WAIT).until(() -> calls.contains(call));
        }
    }
}
