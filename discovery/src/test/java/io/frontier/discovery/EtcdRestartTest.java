package io.frontier.discovery;

import static io.frontier.discovery.EtcdDiscoveryTest.bytes;
import static io.frontier.discovery.EtcdDiscoveryTest.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.etcd.jetcd.Client;
import io.frontier.testing.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * etcd goes away and comes back while nodes run: their registrations and watches recover by
 * themselves, without a new EtcdDiscovery. Each test has an etcd of its own.
 */
class EtcdRestartTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Room for gRPC's reconnect backoff, which has grown during the outage, on top of ours. */
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private final Closer resources = new Closer();
    private EtcdServer etcd;
    private Client raw;
    private EtcdDiscovery edgeNode;
    private EtcdDiscovery controlPlane;
    private Registration edge;
    private Registration replica;
    private RecordingListener edges;
    private List<Map<Integer, String>> routeTables;

    @BeforeEach
    void startEtcd_andANodeOfEachKind() throws Exception {
        etcd = resources.add(new EtcdServer().start());
        raw = resources.add(Client.builder().endpoints(etcd.endpoint()).build());
        edgeNode = discovery();
        controlPlane = discovery();
        edge = edgeNode.register(EtcdDiscovery.EDGES, "edge-1", edge("edge-1", "i1")::toByteArray);
        replica = controlPlane.register(EtcdDiscovery.CONTROL_PLANES, "cp-1", () -> new byte[] {1});
        edges = new RecordingListener();
        resources.add(controlPlane.watch(EtcdDiscovery.EDGES, edges));
        routeTables = new CopyOnWriteArrayList<>();
        controlPlane.putRoute(1001, "localhost:7100").get(5, TimeUnit.SECONDS);
        resources.add(edgeNode.watchRoutes(routeTables::add));
        await().atMost(WAIT).until(() -> edge.isRegistered() && replica.isRegistered()
                && edges.view.containsKey("edge-1") && !routeTables.isEmpty());
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    @Test
    void etcdKilledAndRestartedOnItsData_registrationsComeBackUnderNewLeases_andWatchesResume() throws Exception {
        long leaseBefore = lease("/frontier/edges/edge-1");

        etcd.kill();
        await().atMost(WAIT).until(() -> !edge.isRegistered() && !replica.isRegistered());
        etcd.start();

        await().atMost(RECOVERY).until(() -> edge.isRegistered() && replica.isRegistered());
        assertThat(lease("/frontier/edges/edge-1")).isNotEqualTo(leaseBefore);
        Registration second = edgeNode.register(EtcdDiscovery.EDGES, "edge-2", edge("edge-2", "i2")::toByteArray);
        edges.awaitCall("put edge-2 i2"::equals, RECOVERY);
        assertThat(edges.view).containsOnlyKeys("edge-1", "edge-2");
        controlPlane.putRoute(1002, "localhost:7200").get(5, TimeUnit.SECONDS);
        await().atMost(RECOVERY).until(() -> routeTables.get(routeTables.size() - 1).containsKey(1002));
        // the old lease was revoked once the entry had moved, and nothing else went missing
        assertThat(edges.calls).doesNotContain("delete edge-1 i1");
        assertThat(second.isRegistered()).isTrue();
    }

    @Test
    void etcdRestartedWithoutItsData_registrationsComeBack_andWatchesResume() throws Exception {
        etcd.stop();
        etcd.deleteData();
        etcd.start();

        await().atMost(RECOVERY).until(() -> edge.isRegistered() && replica.isRegistered());
        await().atMost(RECOVERY).until(() -> controlPlane.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)
                .containsKey("edge-1"));
        assertThat(edgeNode.list(EtcdDiscovery.CONTROL_PLANES).get(5, TimeUnit.SECONDS)).containsKey("cp-1");
        edgeNode.register(EtcdDiscovery.EDGES, "edge-2", edge("edge-2", "i2")::toByteArray);
        edges.awaitCall("put edge-2 i2"::equals, RECOVERY);
        await().atMost(WAIT).until(() -> edges.view.keySet().equals(Set.of("edge-1", "edge-2")));
        // routes are configuration, not registrations: lost with the data, the watch reports the empty table
        await().atMost(RECOVERY).until(() -> routeTables.get(routeTables.size() - 1).isEmpty());
        controlPlane.putRoute(1001, "localhost:7300").get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> Map.of(1001, "localhost:7300").equals(routeTables.get(routeTables.size() - 1)));
    }

    @Test
    void aNodeStartedWhileEtcdIsDown_registersOnceItIsUp() throws Exception {
        etcd.stop();
        EtcdDiscovery late = discovery();
        Registration third = late.register(EtcdDiscovery.EDGES, "edge-3", edge("edge-3", "i3")::toByteArray);
        RecordingListener watcher = new RecordingListener();
        resources.add(late.watch(EtcdDiscovery.EDGES, watcher));
        assertThat(late.list(EtcdDiscovery.EDGES)).failsWithin(Duration.ofSeconds(10));

        etcd.start();

        await().atMost(RECOVERY).until(third::isRegistered);
        watcher.awaitCall("put edge-3 i3"::equals, RECOVERY);
        assertThat(watcher.view).containsKeys("edge-1", "edge-3");
    }

    @Test
    void etcdThatHangsWithItsConnectionsOpen_isNoticedByTheMissingKeepAliveAnswers() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                warnings.add(event.getFormattedMessage());
            }
        };
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LeasedRegistration.class);
        logger.addAppender(appender);
        resources.add(() -> logger.detachAppender(appender));

        etcd.freeze();
        // no stream fails: only the silence of the keep-alives tells, after keepAliveStall (2 s for a 3 s TTL)
        await().atMost(WAIT).until(() -> !edge.isRegistered());
        etcd.thaw();

        assertThat(warnings).anyMatch(w -> w.startsWith("/frontier/edges/edge-1: no keep-alive answer for"));
        await().atMost(RECOVERY).until(() -> edge.isRegistered() && replica.isRegistered());
        await().atMost(RECOVERY).until(() -> controlPlane.list(EtcdDiscovery.EDGES).get(5, TimeUnit.SECONDS)
                .containsKey("edge-1"));
        edgeNode.register(EtcdDiscovery.EDGES, "edge-2", edge("edge-2", "i2")::toByteArray);
        edges.awaitCall("put edge-2 i2"::equals, RECOVERY);
        await().atMost(WAIT).until(() -> edges.view.keySet().equals(Set.of("edge-1", "edge-2")));
    }

    private EtcdDiscovery discovery() {
        return resources.add(EtcdDiscovery.connect(DiscoveryConfig.builder(List.of(etcd.endpoint()))
                .leaseTtl(TTL).operationTimeout(Duration.ofSeconds(2)).build()));
    }

    private long lease(String key) throws Exception {
        return raw.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs().get(0).getLease();
    }
}
