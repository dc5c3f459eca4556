package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.NotifyReply;
import io.frontier.api.v1.OfflineNotification;
import io.frontier.api.v1.OfflineNotifierGrpc;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.control.access.ApiAccess;
import io.frontier.control.push.PushLimits;
import io.frontier.edge.EdgeConfig;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone gateway with --offline-notifier: a push for an offline smartphone goes to the notifier, over gRPC. */
class StandaloneOfflineNotifierTest {
    private static final String SECRET = "offline-notifier-secret-of-32-bytes!!";

    private final List<OfflineNotification> notified = new CopyOnWriteArrayList<>();
    private Server notifier;
    private Standalone gateway;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        notifier = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new OfflineNotifierGrpc.OfflineNotifierImplBase() {
                    @Override
                    public void notify(OfflineNotification request, StreamObserver<NotifyReply> reply) {
                        notified.add(request);
                        reply.onNext(NotifyReply.newBuilder().setAccepted(true).build());
                        reply.onCompleted();
                    }
                }).build().start();
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(1).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null, "127.0.0.1:" + notifier.getPort(), ApiAccess.OPEN));
        channel = NettyChannelBuilder.forAddress(gateway.grpcAddress()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.close();
        notifier.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void pushToAnOfflineSmartphone_isHandedToTheNotifier() {
        PushReply reply = PushServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .push(PushRequest.newBuilder()
                        .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone")
                                .addClientTypes(ClientType.CLIENT_TYPE_WS))
                        .setPayload(ByteString.copyFromUtf8("while you were away")).build());

        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE_NOTIFIED);
        assertThat(notified).singleElement().satisfies(notification -> {
            assertThat(notification.getUserId()).isEqualTo("alice");
            assertThat(notification.getDeviceId()).isEqualTo("phone");
            assertThat(notification.getPayload().toStringUtf8()).isEqualTo("while you were away");
        });
    }
}
