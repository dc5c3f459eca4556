package io.frontier.control.cluster;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.control.testing.InMemoryEdgeMembership.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.ControlMessage;
import io.frontier.api.v1.EdgeHello;
import io.frontier.api.v1.EdgeLinkGrpc;
import io.frontier.api.v1.EdgeMessage;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.control.status.StatusUpdater;
import io.frontier.control.testing.InMemoryEdgeMembership;
import io.frontier.control.testing.ManualTicker;
import io.frontier.control.testing.RestartableUserStatus;
import io.frontier.status.DeviceEntry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterUpkeep with edge registrations the test makes, a ticker it drives and an in-memory store:
 * what goes when an edge goes, what a sweep removes, and what a store that lost its data sets off.
 */
class ClusterUpkeepTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REBUILD_TIMEOUT = Duration.ofSeconds(30);

    private final RestartableUserStatus status = new RestartableUserStatus();
    private final EdgeDirectory directory = new EdgeDirectory();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final GrpcEdgeGateway gateway = new GrpcEdgeGateway(directory, target -> {
        ManagedChannel channel = InProcessChannelBuilder.forName(target).directExecutor().build();
        channels.add(channel);
        return channel;
    }, Duration.ofSeconds(1));
    private final EdgeLinkService edgeLink = new EdgeLinkService(new StatusUpdater(status, gateway), 1000);
    private final InMemoryEdgeMembership membership = new InMemoryEdgeMembership();
    private final ManualTicker ticker = new ManualTicker();
    private final AtomicLong nanos = new AtomicLong();
    private final ClusterUpkeep upkeep = ClusterUpkeep.start(membership, directory, gateway, status, edgeLink, ticker,
            REBUILD_TIMEOUT, nanos::get);
    private Server server;
    private ManagedChannel linkChannel;

    @AfterEach
    void stop() {
        upkeep.close();
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            linkChannel.shutdownNow();
            server.shutdownNow();
        }
        gateway.close();
        status.close();
    }

    @Test
    void registeredEdge_isInTheDirectory() {
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        membership.listed();

        assertThat(directory.get("edge-a")).hasValueSatisfying(edge -> assertThat(edge.getInstanceId()).isEqualTo("run-1"));
        assertThat(gateway.edges()).extracting(edge -> edge.getEdgeId()).containsExactly("edge-a");
    }

    @Test
    void edgeWhoseRegistrationGoes_losesItsInstancesEntriesAtOnce_andItsChannelCloses() {
        membership.put(edge("edge-a", "run-2", "edge-a-grpc"));
        membership.put(edge("edge-b", "run-1", "edge-b-grpc"));
        membership.listed();
        connect("alice", "edge-a", "run-1");
        connect("bob", "edge-a", "run-2");
        connect("carol", "edge-b", "run-1");
        gateway.stats("edge-a");
        assertThat(channels).singleElement().satisfies(channel -> assertThat(channel.isShutdown()).isFalse());

        membership.delete("edge-a");

        assertThat(directory.get("edge-a")).isEmpty();
        assertThat(online("bob")).isEmpty();
        assertThat(online("alice")).as("another instance: left to the sweep").hasSize(1);
        assertThat(online("carol")).hasSize(1);
        assertThat(channels).singleElement().satisfies(channel -> assertThat(channel.isShutdown()).isTrue());
    }

    @Test
    void edgeMissingAtTwoSweepsInARow_losesItsEntries_atTheSecond() {
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        membership.listed();
        connect("alice", "edge-a", "run-1");
        connect("bob", "edge-gone", "run-1");
        connect("carol", "edge-gone", "run-0");

        ticker.tick();
        assertThat(online("bob")).as("missing once: it may have registered a moment ago").hasSize(1);

        ticker.tick();
        assertThat(online("bob")).isEmpty();
        assertThat(online("carol")).as("every instance").isEmpty();
        assertThat(online("alice")).hasSize(1);
        assertThat(status.knownEdges().toCompletableFuture().join()).containsExactly("edge-a");
    }

    @Test
    void beforeTheListingIsWhole_sweepsRemoveNothing() {
        connect("bob", "edge-gone", "run-1");

        ticker.tick();
        ticker.tick();
        ticker.tick();
        assertThat(online("bob")).hasSize(1);

        membership.listed();
        ticker.tick();
        assertThat(online("bob")).hasSize(1);
        ticker.tick();
        assertThat(online("bob")).isEmpty();
    }

    @Test
    void edgeThatRegistersBetweenTwoSweeps_keepsItsEntries() {
        membership.listed();
        connect("bob", "edge-b", "run-1");

        ticker.tick();
        membership.put(edge("edge-b", "run-1", "edge-b-grpc"));
        ticker.tick();
        ticker.tick();

        assertThat(online("bob")).hasSize(1);
    }

    @Test
    void registrationGoneWithAnUnreadableRecord_leavesItsEntriesToTheSweep() {
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        membership.listed();
        connect("alice", "edge-a", "run-1");

        membership.deleteUnreadable("edge-a");

        assertThat(directory.get("edge-a")).isEmpty();
        assertThat(online("alice")).as("which instance went is unknown").hasSize(1);
        ticker.tick();
        ticker.tick();
        assertThat(online("alice")).isEmpty();
    }

    @Test
    void storeThatLostItsData_makesEveryAttachedEdgeSendItsSnapshotAgain() throws Exception {
        CompletableFuture<Status> ended = attach("edge-a", "run-1");
        await().atMost(WAIT).until(() -> edgeLink.attachedEdges().containsKey("edge-a"));

        ticker.tick();
        assertThat(edgeLink.attachedEdges()).as("same epoch: nothing to do").containsKey("edge-a");

        status.restart();
        ticker.tick();

        assertThat(edgeLink.attachedEdges()).isEmpty();
        Status end = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(end.getDescription()).contains("lost its data");

        CompletableFuture<Status> again = attach("edge-a", "run-1");
        await().atMost(WAIT).until(() -> edgeLink.attachedEdges().containsKey("edge-a"));
        ticker.tick();
        assertThat(edgeLink.attachedEdges()).as("the new epoch is the one to compare with").containsKey("edge-a");
        assertThat(again).isNotDone();
    }

    @Test
    void newEpoch_isAdopted_onlyOnceEveryLiveEdgesInstanceSentItsSnapshot() {
        String first = epoch();
        assertThat(status.adopted()).as("at start the store is taken as it is").isEqualTo(first);
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        membership.put(edge("edge-b", "run-2", "edge-b-grpc"));
        membership.listed();

        status.restart();
        ticker.tick();
        assertThat(status.adopted()).as("no edge has sent its snapshot").isEqualTo(first);

        reconcile("edge-a", "run-1");
        reconcile("edge-b", "run-1");
        ticker.tick();
        assertThat(status.adopted()).as("edge-b's snapshot came from a past instance").isEqualTo(first);

        reconcile("edge-b", "run-2");
        ticker.tick();
        assertThat(status.adopted()).isEqualTo(epoch()).isNotEqualTo(first);
    }

    @Test
    void newEpoch_isAdoptedAfterTheRebuildTimeout_evenWhenAnEdgeNeverSentItsSnapshot() {
        String first = epoch();
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        membership.listed();

        status.restart();
        ticker.tick();
        nanos.addAndGet(REBUILD_TIMEOUT.toNanos() - 1);
        ticker.tick();
        assertThat(status.adopted()).isEqualTo(first);

        nanos.incrementAndGet();
        ticker.tick();
        assertThat(status.adopted()).isEqualTo(epoch()).isNotEqualTo(first);
    }

    private String epoch() {
        return status.epoch().toCompletableFuture().join();
    }

    private void reconcile(String edgeId, String instance) {
        status.reconcile(edgeId, instance, List.of()).toCompletableFuture().join();
    }

    @Test
    void close_stopsTheWatchAndTheTicker() {
        assertThat(membership.watchers()).isEqualTo(1);

        upkeep.close();

        assertThat(membership.watchers()).isZero();
        assertThat(ticker.closed()).isTrue();
        membership.put(edge("edge-a", "run-1", "edge-a-grpc"));
        assertThat(directory.get("edge-a")).isEmpty();
    }

    private void connect(String user, String edgeId, String instance) {
        status.connected(new DeviceEntry(user, CLIENT_TYPE_TCP, "phone", "conn-" + user, edgeId, instance,
                "192.0.2.7:40000", 1_000)).toCompletableFuture().join();
    }

    private List<DeviceEntry> online(String user) {
        return status.devices(user, Set.of()).toCompletableFuture().join();
    }

    /** Attaches an edge over EdgeLink in process; the future completes with the status that ended its stream. */
    private CompletableFuture<Status> attach(String edgeId, String instance) throws Exception {
        if (server == null) {
            String name = InProcessServerBuilder.generateName();
            server = InProcessServerBuilder.forName(name).directExecutor().addService(edgeLink).build().start();
            linkChannel = InProcessChannelBuilder.forName(name).directExecutor().build();
        }
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<EdgeMessage> requests = EdgeLinkGrpc.newStub(linkChannel)
                .attach(new StreamObserver<ControlMessage>() {
                    @Override
                    public void onNext(ControlMessage message) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        requests.onNext(EdgeMessage.newBuilder().setSeq(1)
                .setHello(EdgeHello.newBuilder().setEdgeId(edgeId).setInstanceId(instance).setGrpcAddress("in-process"))
                .build());
        return ended;
    }
}
