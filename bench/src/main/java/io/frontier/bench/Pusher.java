package io.frontier.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends pushes open loop: at a fixed rate, each to a random device, whatever the replies do
 * (up to a cap of pushes in flight). Each payload carries its intended send time and its
 * actual one ({@link Stamp}), so that devices measure latency from when the push was due.
 * Where a push goes is the {@link Sender}'s business: Frontier's Push API, or a peer's.
 */
final class Pusher implements AutoCloseable {
    /** One server's way to push to one device. */
    interface Sender extends AutoCloseable {
        /**
         * Sends {@code payload} to {@code device} without waiting; reports the outcome to {@code run}
         * ({@link Run#delivered}, {@link Run#count}, {@link Run#error}) and then {@link Run#done}.
         */
        void send(int device, byte[] payload, Run run);

        /**
         * Sends {@code payload} to every device of {@code devices} in one call, as a backend pushes to a group;
         * reports each device's outcome to {@code run}, then {@link Run#done} once.
         */
        default void sendMany(int[] devices, byte[] payload, Run run) {
            throw new UnsupportedOperationException("this server has no call for many devices");
        }

        @Override
        void close() throws InterruptedException;
    }

    private final Sender sender;
    private final int devices;
    private final int maxInFlight;
    private final Stamp stamp;

    /** Pushes through Frontier's Push API on {@code port} to user {@code u<i>}, payloads {@link Stamp#BINARY}. */
    Pusher(int port, int devices, int maxInFlight) {
        this(new GrpcPushSender(port), devices, maxInFlight, Stamp.BINARY);
    }

    Pusher(Sender sender, int devices, int maxInFlight, Stamp stamp) {
        this.sender = sender;
        this.devices = devices;
        this.maxInFlight = maxInFlight;
        this.stamp = stamp;
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

        void delivered() {
            delivered.incrementAndGet();
        }

        /** A call that failed as a whole (no reply). */
        void error(String what) {
            errors.incrementAndGet();
            count(what);
        }

        /** The push's call is over, whatever its outcome. */
        void done() {
            inFlight.decrementAndGet();
        }
    }

    /** Sends {@code rate} pushes a second for {@code duration}, then waits (up to 10 s) for the replies. */
    Run run(int rate, Duration duration) throws InterruptedException {
        return run(rate, duration, 1);
    }

    /**
     * As {@link #run(int, Duration)}, {@code group} pushes per call when over 1: {@code rate / group} calls a
     * second, each to {@code group} distinct random devices with one payload, as a backend pushing to a group.
     */
    Run run(int rate, Duration duration, int group) throws InterruptedException {
        Run run = new Run();
        long interval = 1_000_000_000L * group / rate;
        long total = rate * duration.toNanos() / 1_000_000_000L / group;
        long start = System.nanoTime();
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
            run.inFlight.incrementAndGet();
            if (group == 1) {
                run.sent++;
                sender.send(ThreadLocalRandom.current().nextInt(devices), stamp.encode(due, now), run);
            } else {
                run.sent += group;
                sender.sendMany(distinct(group), stamp.encode(due, now), run);
            }
        }
        run.sendEndNanos = System.nanoTime();
        long deadline = run.sendEndNanos + TimeUnit.SECONDS.toNanos(10);
        while (run.inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return run;
    }

    /** Returns {@code n} distinct random devices. */
    private int[] distinct(int n) {
        int[] picked = new int[n];
        Set<Integer> seen = new HashSet<>(n * 2);
        for (int i = 0; i < n; ) {
            int device = ThreadLocalRandom.current().nextInt(devices);
            if (seen.add(device)) {
                picked[i++] = device;
            }
        }
        return picked;
    }

    @Override
    public void close() throws InterruptedException {
        sender.close();
    }
}
