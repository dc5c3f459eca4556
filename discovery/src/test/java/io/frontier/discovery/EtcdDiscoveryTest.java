package io.frontier.discovery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
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

/** EtcdDiscovery against one real etcd; each test works in a namespace of its own. */
class EtcdDiscoveryTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static EtcdServer etcd;
    private static Client raw;

    private final String namespace = "/test" + NAMESPACES.incrementAndGet();
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
    void register_thenList_returnsEachKindsRecords() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        Registration controlPlane = discovery.register(EtcdDiscovery.CONTROL_PLANES, "cp-1",
                ControlPlaneRecord.newBuilder().setId("cp-1").setGrpcAddress("10.0.0.9:7001").build()::toByteArray);

        await().atMost(WAIT).until(() -> edge.isRegistered() && controlPlane.isRegistered());
        Map<String, byte[]> edges = discovery.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS);
        assertThat(edges).containsOnlyKeys("edge-1");
        assertThat(EdgeRecord.parseFrom(edges.get("edge-1"))).isEqualTo(edge("edge-1", "i1"));
        Map<String, byte[]> controlPlanes = discovery.list(EtcdDiscovery.CONTROL_PLANES).get(5, TimeUnit.SECONDS);
        assertThat(ControlPlaneRecord.parseFrom(controlPlanes.get("cp-1")).getGrpcAddress()).isEqualTo("10.0.0.9:7001");
        KeyValue stored = rawGet(namespace + "/edges/edge-1");
        assertThat(stored.getLease()).as("leased").isNotZero();
    }

    @Test
    void close_revokesTheLease_soTheKeyDisappearsAtOnce() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);

        edge.closeAsync().get(5, TimeUnit.SECONDS);

        assertThat(edge.isRegistered()).isFalse();
        assertThat(discovery.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)).isEmpty();
        // closed, the key is free to register again
        Registration again = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i2")::toByteArray);
        await().atMost(WAIT).until(again::isRegistered);
    }

    @Test
    void aProcessThatStopsKeepingAlive_losesItsKeyWithinTheTtl() throws Exception {
        EtcdDiscovery dying = EtcdDiscovery.connect(config());
        Registration edge = dying.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);
        EtcdDiscovery observer = discovery();

        dying.abandon();

        assertThat(observer.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)).as("not revoked").containsKey("edge-1");
        await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> observer.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void aLeaseRevokedBehindItsBack_isNoticed_andTheEdgeRegistersAgainUnderANewLease() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);
        RecordingListener listener = new RecordingListener();
        watch(discovery(), listener);
        listener.awaitCall("synced"::equals, WAIT);
        long lease = rawGet(namespace + "/edges/edge-1").getLease();

        raw.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);

        listener.awaitCall("delete edge-1 i1"::equals, WAIT);
        // keep-alives go out every third of the TTL: the loss shows within one TTL, the new lease right after
        await().atMost(TTL.plusSeconds(2)).until(() -> edge.isRegistered() && listener.view.containsKey("edge-1"));
        KeyValue now = rawGet(namespace + "/edges/edge-1");
        assertThat(now.getLease()).isNotZero().isNotEqualTo(lease);
        assertThat(listener.calls).containsSubsequence("put edge-1 i1", "synced", "delete edge-1 i1", "put edge-1 i1");
    }

    @Test
    void aKeyDeletedBehindItsBack_isPutBackWithinTheTtl() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);

        raw.getKVClient().delete(bytes(namespace + "/edges/edge-1")).get(5, TimeUnit.SECONDS);

        await().atMost(TTL.multipliedBy(2).plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> discovery.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS).containsKey("edge-1"));
    }

    @Test
    void update_publishesTheSuppliersCurrentValue() throws Exception {
        EtcdDiscovery discovery = discovery();
        AtomicReference<EdgeRecord> record = new AtomicReference<>(edge("edge-1", "i1"));
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", () -> record.get().toByteArray());
        await().atMost(WAIT).until(edge::isRegistered);
        long lease = rawGet(namespace + "/edges/edge-1").getLease();

        record.set(record.get().toBuilder().setDraining(true).build());
        edge.update().get(5, TimeUnit.SECONDS);

        KeyValue stored = rawGet(namespace + "/edges/edge-1");
        assertThat(EdgeRecord.parseFrom(stored.getValue().getBytes()).getDraining()).isTrue();
        assertThat(stored.getLease()).as("same lease").isEqualTo(lease);
        edge.close();
        assertThat(edge.update()).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void update_beforeTheFirstRegistration_completesWithIt() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);

        edge.update().get(5, TimeUnit.SECONDS);

        assertThat(discovery.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)).containsKey("edge-1");
    }

    @Test
    void watch_deliversCurrentEntriesFirst_thenPutsAndDeletesWithTheirPreviousValue() throws Exception {
        EtcdDiscovery discovery = discovery();
        Registration first = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(first::isRegistered);
        RecordingListener listener = new RecordingListener();
        watch(discovery(), listener);
        listener.awaitCall("synced"::equals, WAIT);
        assertThat(listener.calls).containsExactly("put edge-1 i1", "synced");

        Registration second = discovery.register(EtcdDiscovery.EDGES, "edge-2", edge("edge-2", "i2")::toByteArray);
        listener.awaitCall("put edge-2 i2"::equals, WAIT);
        first.close();
        listener.awaitCall("delete edge-1 i1"::equals, WAIT);
        second.close();
        listener.awaitCall("delete edge-2 i2"::equals, WAIT);

        assertThat(listener.calls).containsExactly("put edge-1 i1", "synced", "put edge-2 i2", "delete edge-1 i1",
                "delete edge-2 i2");
        assertThat(listener.view).isEmpty();
        assertThat(listener.threads).containsOnly("frontier-discovery-watch-edges");
    }

    @Test
    void watch_thatIsClosed_hearsNoMore() throws Exception {
        EtcdDiscovery discovery = discovery();
        RecordingListener listener = new RecordingListener();
        Watch watch = discovery.watch(EtcdDiscovery.EDGES, listener);
        listener.awaitCall("synced"::equals, WAIT);

        watch.close();
        Registration edge = discovery.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        await().atMost(WAIT).until(edge::isRegistered);
        RecordingListener witness = new RecordingListener();
        watch(discovery, witness);
        witness.awaitCall("put edge-1 i1"::equals, WAIT);

        assertThat(listener.calls).containsExactly("synced");
    }

    @Test
    void routes_arePutListedWatchedAndDeleted() throws Exception {
        EtcdDiscovery discovery = discovery();
        discovery.putRoute(1001, "localhost:7100").get(5, TimeUnit.SECONDS);
        List<Map<Integer, String>> tables = new CopyOnWriteArrayList<>();
        resources.add(discovery.watchRoutes(tables::add));
        await().atMost(WAIT).until(() -> tables.size() == 1);
        assertThat(tables.get(0)).containsExactly(Map.entry(1001, "localhost:7100"));

        discovery.putRoute(1002, "10.0.0.7:7100,timeout=2s").get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> tables.size() == 2);
        assertThat(tables.get(1)).containsExactly(Map.entry(1001, "localhost:7100"),
                Map.entry(1002, "10.0.0.7:7100,timeout=2s"));
        assertThat(discovery.routes().get(5, TimeUnit.SECONDS)).isEqualTo(tables.get(1));

        assertThat(discovery.deleteRoute(1001).get(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> tables.size() == 3);
        assertThat(tables.get(2)).containsExactly(Map.entry(1002, "10.0.0.7:7100,timeout=2s"));
        assertThat(discovery.deleteRoute(1001).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(rawGet(namespace + "/routes/1002").getLease()).as("routes are not leased").isZero();
    }

    @Test
    void watchRoutes_ofAnEmptyTable_announcesItOnce_andIgnoresKeysThatAreNotServiceIds() throws Exception {
        EtcdDiscovery discovery = discovery();
        raw.getKVClient().put(bytes(namespace + "/routes/not-a-number"), bytes("x:1")).get(5, TimeUnit.SECONDS);
        List<Map<Integer, String>> tables = new CopyOnWriteArrayList<>();
        resources.add(discovery.watchRoutes(tables::add));
        await().atMost(WAIT).until(() -> tables.size() == 1);
        assertThat(tables.get(0)).isEmpty();

        discovery.putRoute(7, "[::1]:7100,timeout=500ms").get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> tables.size() == 2);
        assertThat(tables.get(1)).containsExactly(Map.entry(7, "[::1]:7100,timeout=500ms"));
    }

    @Test
    void malformedArguments_areRefusedWithWhatWasExpected() {
        EtcdDiscovery discovery = discovery();
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.putRoute(0, "a:1"))
                .withMessage("service: 0 (expected: a service id > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.putRoute(1, "localhost"))
                .withMessage("spec: localhost (expected: HOST:PORT or HOST:PORT,timeout=DURATION such as"
                        + " localhost:7100,timeout=2s)");
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.putRoute(1, "a:1,timeout=0s"));
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.register("edges", "a/b", () -> new byte[0]))
                .withMessage("id: a/b (expected: 1 to 128 characters, no '/' or whitespace)");
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.register("Edges", "a", () -> new byte[0]))
                .withMessage("kind: Edges (expected: 1 to 64 lower-case letters, digits or '-', such as edges)");
        assertThatIllegalArgumentException().isThrownBy(() -> discovery.register("routes", "1", () -> new byte[0]))
                .withMessage("kind: routes (expected: a leased kind such as edges; routes have putRoute)");
        discovery.register(EtcdDiscovery.EDGES, "edge-1", () -> new byte[0]);
        assertThatIllegalStateException().isThrownBy(() -> discovery.register(EtcdDiscovery.EDGES, "edge-1", () -> new byte[0]))
                .withMessage(namespace + "/edges/edge-1 is registered already by this client");
    }

    @Test
    void discoveryClose_revokesEveryRegistration() throws Exception {
        EtcdDiscovery closing = EtcdDiscovery.connect(config());
        Registration edge = closing.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        Registration controlPlane = closing.register(EtcdDiscovery.CONTROL_PLANES, "cp-1", () -> new byte[] {1});
        await().atMost(WAIT).until(() -> edge.isRegistered() && controlPlane.isRegistered());

        closing.close();

        EtcdDiscovery observer = discovery();
        assertThat(observer.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(observer.list(EtcdDiscovery.CONTROL_PLANES).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> closing.register(EtcdDiscovery.EDGES, "e", () -> new byte[0]));
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
    void watchControlPlanes_handsOverEveryRegisteredLinkAddress_afterEachChange() throws Exception {
        EtcdDiscovery discovery = discovery();
        AtomicReference<List<String>> addresses = new AtomicReference<>(List.of());
        resources.add(discovery().watchControlPlanes(addresses::set));

        Registration one = discovery.register(EtcdDiscovery.CONTROL_PLANES, "cp-1", controlPlane("cp-1", "10.0.0.1:7000"));
        Registration two = discovery.register(EtcdDiscovery.CONTROL_PLANES, "cp-2",
                ControlPlaneRecord.newBuilder().setId("cp-2").setGrpcAddress("10.0.0.2:7000")
                        .setLinkAddress("10.0.0.2:7001").build()::toByteArray);
        await().atMost(WAIT).until(() -> addresses.get().size() == 2);
        assertThat(addresses.get()).as("the link address where there is one").containsExactly("10.0.0.1:7000",
                "10.0.0.2:7001");

        one.close();
        await().atMost(WAIT).until(() -> addresses.get().equals(List.of("10.0.0.2:7001")));
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
        return resources.add(EtcdDiscovery.connect(config()));
    }

    private DiscoveryConfig config() {
        return DiscoveryConfig.builder(List.of(etcd.endpoint())).namespace(namespace).leaseTtl(TTL).build();
    }

    private void watch(EtcdDiscovery discovery, RecordingListener listener) {
        resources.add(discovery.watch(EtcdDiscovery.EDGES, listener));
    }

    private static KeyValue rawGet(String key) throws Exception {
        List<KeyValue> kvs = raw.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
        assertThat(kvs).as(key).hasSize(1);
        return kvs.get(0);
    }

    static EdgeRecord edge(String id, String instance) {
        return EdgeRecord.newBuilder().setEdgeId(id).setInstanceId(instance).setGrpcAddress("10.0.0.1:7002")
                .setTcpAddress("10.0.0.1:9000").setWsAddress("10.0.0.1:8080").setStartedAtMs(1).build();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, UTF_8);
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
