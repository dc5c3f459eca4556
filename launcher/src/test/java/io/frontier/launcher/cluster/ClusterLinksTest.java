package io.frontier.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.ControlMessage;
import io.frontier.api.v1.EdgeHello;
import io.frontier.api.v1.EdgeLinkGrpc;
import io.frontier.api.v1.EdgeMessage;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.frontier.api.v1.EdgeStatsRequest;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.control.status.StatusUpdater;
import io.frontier.status.InMemoryUserStatus;
import io.frontier.testing.ThrowawayCa;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal links' credentials on real sockets: the cluster token, mutual TLS with a throwaway CA, the
 * edge identity a certificate gives on EdgeLink, and certificate files read again when they change.
 */
class ClusterLinksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void token_aCallWithoutIt_isUnauthenticated_oneWithItIsServed() throws Exception {
        ClusterLinks links = links(ClusterCredentials.token("cluster-secret"));
        int port = serve(links, new EdgeServiceGrpc.EdgeServiceImplBase() { });

        assertThat(statsCode(plaintext(port))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(statsCode(links(ClusterCredentials.token("another-secret")).channel(target(port)).build()))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(statsCode(links.channel(target(port)).build())).as("served: the service has no Stats here")
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void mutualTls_refusesAPeerWithNoCertificate_orOneFromAnotherCa() throws Exception {
        ThrowawayCa ca = ThrowawayCa.create("cluster-ca");
        ClusterLinks server = links(tls(ca, "cp-1"));
        int port = serve(server, new EdgeServiceGrpc.EdgeServiceImplBase() { });

        ManagedChannel noCertificate = track(NettyChannelBuilder.forTarget(target(port), TlsChannelCredentials.newBuilder()
                .trustManager(ca.writeCertificate(dir.resolve("trust-only.pem")).toFile()).build()).build());
        assertThat(statsCode(noCertificate)).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(statsCode(plaintext(port))).isEqualTo(Status.Code.UNAVAILABLE);
        ThrowawayCa stranger = ThrowawayCa.create("stranger-ca");
        assertThat(statsCode(links(tls(stranger, "edge-1")).channel(target(port)).build()))
                .isEqualTo(Status.Code.UNAVAILABLE);

        assertThat(statsCode(links(tls(ca, "edge-1")).channel(target(port)).build())).as("served")
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void edgeLink_overMutualTls_takesAnEdgeOnlyAsTheEdgeItsCertificateNames() throws Exception {
        ThrowawayCa ca = ThrowawayCa.create("cluster-ca");
        InMemoryUserStatus status = track(new InMemoryUserStatus());
        GrpcEdgeGateway gateway = track(new GrpcEdgeGateway(new EdgeDirectory(),
                target -> { throw new IllegalStateException("no edge is called here"); }, Duration.ofSeconds(1)));
        EdgeLinkService edgeLink = new EdgeLinkService(new StatusUpdater(status, gateway), 1000);
        int port = serveGuarded(links(tls(ca, "cp-1")), edgeLink, "EdgeLink");
        ClusterLinks edge1 = links(tls(ca, "edge-1"));

        Status posing = attach(edge1.channel(target(port)).build(), "edge-2").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(posing.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(posing.getDescription()).isEqualTo("the client certificate does not name edge \"edge-2\"");
        assertThat(edgeLink.attachedEdges()).isEmpty();

        CompletableFuture<Status> itself = attach(edge1.channel(target(port)).build(), "edge-1");
        await().atMost(WAIT).until(() -> edgeLink.attachedEdges().containsKey("edge-1"));
        assertThat(itself).isNotDone();
    }

    @Test
    void certificateFiles_areReadAgainWhenTheyChange() throws Exception {
        ThrowawayCa old = ThrowawayCa.create("old-ca");
        ThrowawayCa renewed = ThrowawayCa.create("renewed-ca");
        ClusterCredentials serverFiles = tls(old, "cp-1");
        ClusterLinks server = track(ClusterLinks.start(serverFiles, Duration.ofMillis(50)));
        int port = serve(server, new EdgeServiceGrpc.EdgeServiceImplBase() { });
        ClusterLinks client = links(tls(renewed, "edge-1"));
        assertThat(statsCode(client.channel(target(port)).build())).as("the server shows the old CA's certificate")
                .isEqualTo(Status.Code.UNAVAILABLE);

        // The operator renews the files in place, as a certificate manager does.
        ClusterCredentials.TlsFiles renewedFiles = tls(renewed, "cp-1-renewed").tls();
        replace(renewedFiles.cert(), serverFiles.tls().cert());
        replace(renewedFiles.key(), serverFiles.tls().key());
        replace(renewedFiles.ca(), serverFiles.tls().ca());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(
                () -> statsCode(client.channel(target(port)).build()) == Status.Code.UNIMPLEMENTED);
    }

    private ClusterCredentials tls(ThrowawayCa ca, String name) {
        Path files = dir.resolve(name + "-" + System.nanoTime());
        ThrowawayCa.Identity identity = ca.issue(name, files);
        return new ClusterCredentials(null, new ClusterCredentials.TlsFiles(identity.cert(), identity.key(),
                ca.writeCertificate(files.resolve("ca.pem"))));
    }

    private static void replace(Path from, Path to) throws IOException {
        Path staged = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ClusterLinks links(ClusterCredentials credentials) {
        return track(ClusterLinks.start(credentials));
    }

    private int serve(ClusterLinks links, BindableService service) throws IOException {
        return serveGuarded(links, service, "edge service");
    }

    private int serveGuarded(ClusterLinks links, BindableService service, String name) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), links.serverCredentials())
                .addService(links.guard(service, name)).build().start();
        resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return server.getPort();
    }

    private ManagedChannel plaintext(int port) {
        return track(NettyChannelBuilder.forTarget(target(port)).usePlaintext().build());
    }

    private Status.Code statsCode(ManagedChannel channel) {
        track(channel);
        try {
            EdgeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .stats(EdgeStatsRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
        }
    }

    private CompletableFuture<Status> attach(ManagedChannel channel, String edgeId) {
        track(channel);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<EdgeMessage> requests = EdgeLinkGrpc.newStub(channel).attach(new StreamObserver<>() {
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
        requests.onNext(EdgeMessage.newBuilder().setSeq(1).setHello(EdgeHello.newBuilder().setEdgeId(edgeId)
                .setInstanceId("run-1").setGrpcAddress("127.0.0.1:1")).build());
        return ended;
    }

    private static String target(int port) {
        return "127.0.0.1:" + port;
    }

    private ManagedChannel track(ManagedChannel channel) {
        resources.add(channel::shutdownNow);
        return channel;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
