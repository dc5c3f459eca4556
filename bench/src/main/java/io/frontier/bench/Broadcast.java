package io.frontier.bench;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * broadcast: one message to every connection through the Push API's Broadcast, one round
 * at a time: how fast the edges write it (connections written per second, from the call
 * to its reply) and how long until the last device has it.
 */
final class Broadcast {
    private Broadcast() {
    }

    static void run(Args args) throws Exception {
        int devices = args.integer("devices", 10_000);
        int rounds = args.integer("rounds", 10);
        String secret = Main.secret();
        Credentials credentials = Credentials.mint(secret, 0, devices);
        Recorder latency = new Recorder(3);
        AtomicLong lastArrival = new AtomicLong();
        try (Gateway server = Gateway.start(args, Main.jvmOpts(args), secret);
             LoadGenerator gen = Main.generator(args, server.targets(Main.protocol(args)), true)) {
            gen.listener(payload -> {
                long now = System.nanoTime();
                latency.recordValue(now - payload.getLong(payload.readerIndex()));
                lastArrival.set(now);
            });
            Main.openAll(gen, credentials, 500);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.pushPort()).usePlaintext()
                    .build();
            PushServiceGrpc.PushServiceBlockingStub stub = PushServiceGrpc.newBlockingStub(channel);
            List<Double> writtenPerSecond = new ArrayList<>();
            List<Double> lastDeviceMs = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            long written = 0;
            long gatewayCpuMillis = 0;
            long skipped = 0;
            for (int round = -3; round < rounds; round++) { // three rounds of JIT warm-up
                long pushesBefore = gen.pushes.get();
                latency.getIntervalHistogram();
                long cpu0 = Gateway.cpuMillis(server.pushPath());
                long sent = System.nanoTime();
                BroadcastReply reply = stub.withDeadlineAfter(60, TimeUnit.SECONDS).broadcast(BroadcastRequest.newBuilder()
                        .setPayload(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(sent).putLong(round).flip()))
                        .build());
                long replied = System.nanoTime();
                long deadline = replied + TimeUnit.SECONDS.toNanos(60);
                while (gen.pushes.get() - pushesBefore < reply.getWritten() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Histogram h = latency.getIntervalHistogram();
                long cpu = Gateway.cpuMillis(server.pushPath()) - cpu0;
                long arrived = gen.pushes.get() - pushesBefore;
                Main.log("round " + round + ": written " + reply.getWritten() + ", skipped " + reply.getSkipped()
                        + ", arrived " + arrived + ", reply after " + (replied - sent) / 1e6 + " ms, last device after "
                        + (lastArrival.get() - sent) / 1e6 + " ms");
                if (round < 0) {
                    continue;
                }
                written += reply.getWritten();
                gatewayCpuMillis += cpu;
                skipped += reply.getSkipped();
                writtenPerSecond.add(reply.getWritten() / ((replied - sent) / 1e9));
                lastDeviceMs.add((lastArrival.get() - sent) / 1e6);
                p99s.add(h.getValueAtPercentile(99) / 1e6);
                Thread.sleep(200);
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            new Result().put("scenario", "broadcast").put("mode", server.mode()).put("edges", server.edges().size())
                    .put("protocol", Main.protocol(args).name().toLowerCase())
                    .put("devices", devices).put("rounds", rounds)
                    .put("written", written).put("skipped", skipped)
                    .put("median_written_per_s", median(writtenPerSecond))
                    .put("median_p99_ms", median(p99s))
                    .put("median_last_device_ms", median(lastDeviceMs))
                    .put("max_last_device_ms", Collections.max(lastDeviceMs))
                    // CPU of the gateway's processes per message, from the call until the last device had it
                    // (devices' acks included): what bounds the rate on a machine the generator shares
                    .put("gateway_cpu_us_per_message", gatewayCpuMillis * 1000.0 / written)
                    .print();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
