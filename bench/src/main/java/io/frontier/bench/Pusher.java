package io.frontier.bench;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.UserTarget;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends pushes through the Push API open loop: at a fixed rate, each to a random
 * device's user, whatever the replies do (up to a cap of calls in flight). Each
 * payload carries its intended send time and its actual one, so that devices measure
 * latency from when the push was due.
 */
final class Pusher implements AutoCloseable {
    private final ManagedChannel channel;
    private final PushServiceGrpc.PushServiceStub stub;
    private final int devices;
    private final int maxInFlight;

    Pusher(int port, int devices, int maxInFlight) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        this.stub = PushServiceGrpc.newStub(channel);
        this.devices = devices;
        this.maxInFlight = maxInFlight;
    }

    /** What became of one run's pushes. */
    static final class Run {
        long sent;
        long skipped;
        long sendEndNanos;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        /** Every outcome other than DELIVERED, and replies with no device, by outcome and reason. */
        final Map<String, LongAdder> otherOutcomes = new ConcurrentHashMap<>();

        long other() {
            return otherOutcomes.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> otherByReason() {
            Map<String, Long> out = new TreeMap<>();
            otherOutcomes.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }

        void count(String what) {
            otherOutcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
        }
    }

    /** Sends {@code rate} pushes a second for {@code duration}, then waits (up to 10 s) for the replies. */
    Run run(int rate, Duration duration) throws InterruptedException {
        Run run = new Run();
        long interval = 1_000_000_000L / rate;
        long total = rate * duration.toNanos() / 1_000_000_000L;
        long start = System.nanoTime();
        byte[] buf = new byte[16];
        for (long k = 0; k < total; ) {
            long due = start + k * interval;
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            k++;
            if (run.inFlight.get() >= maxInFlight) {
                run.skipped++;
                continue;
            }
            putLong(buf, 0, due);
            putLong(buf, 8, now);
            int user = ThreadLocalRandom.current().nextInt(devices);
            send(PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId("u" + user))
                    .setPayload(ByteString.copyFrom(buf)).build(), run);
        }
        run.sendEndNanos = System.nanoTime();
        long deadline = run.sendEndNanos + TimeUnit.SECONDS.toNanos(10);
        while (run.inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return run;
    }

    private void send(PushRequest request, Run run) {
        run.inFlight.incrementAndGet();
        run.sent++;
        stub.push(request, new StreamObserver<PushReply>() {
            @Override
            public void onNext(PushReply reply) {
                if (reply.getOutcomesCount() == 0) {
                    run.count("no online device");
                }
                for (DeviceOutcome o : reply.getOutcomesList()) {
                    if (o.getOutcome() == DeviceOutcome.Outcome.DELIVERED) {
                        run.delivered.incrementAndGet();
                    } else {
                        run.count(o.getOutcome() + ": " + o.getReason());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                run.errors.incrementAndGet();
                io.grpc.Status s = io.grpc.Status.fromThrowable(t);
                run.count("rpc error: " + s.getCode() + " " + s.getDescription());
                run.inFlight.decrementAndGet();
            }

            @Override
            public void onCompleted() {
                run.inFlight.decrementAndGet();
            }
        });
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
