package io.frontier.bench;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Frontier standalone from the release distribution, devices on its own protocols (authenticated, acking). */
final class FrontierContender extends JvmContender {
    private ManagedChannel channel;

    FrontierContender(Args args, String secret, Map<String, String> env) throws Exception {
        super(ServerProcess.gateway(Main.jvmOpts(args), secret, Gateway.ioTransport(args), env));
    }

    @Override
    public String name() {
        return "frontier";
    }

    @Override
    public LoadGenerator devices(Args args, LoadGenerator.Protocol protocol, boolean broadcast) {
        LoadGenerator devices = generator(args, protocol, true);
        // --acks false: what acks cost a broadcast (a device in the field acks every push).
        return broadcast && !args.flag("acks", true) ? devices.withoutAcks() : devices;
    }

    @Override
    public HttpPushApi httpApi() {
        return null;
    }

    @Override
    public Pusher.Sender pushes() {
        return new GrpcPushSender(process.grpcPort);
    }

    @Override
    public void broadcast(byte[] payload) {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", process.grpcPort).usePlaintext().build();
        }
        PushServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .broadcast(BroadcastRequest.newBuilder().setPayload(ByteString.copyFrom(payload)).build());
    }

    @Override
    public void close() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        super.close();
    }
}
