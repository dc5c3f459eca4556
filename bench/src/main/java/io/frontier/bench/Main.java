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
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The benchmark scenarios, one command each (see BENCHMARKS.md):
 * <pre>
 *   idle     --connections N [--server both|gateway|baseline]
 *   connect  --connections N [--in-flight 500]
 *   unicast  --devices N --rates R1,R2,.. [--seconds 10]
 * </pre>
 * Common options: {@code --threads} (generator event loops, 2), {@code --sources}
 * (loopback source addresses from 127.0.0.2, 4), {@code --jvm-opts} (of the server
 * process, {@value ServerProcess#DEFAULT_JVM_OPTS}).
 * Each prints a line {@code JSON {...}} and a Markdown table row.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: bench/run idle|connect|unicast [--option value]... (see BENCHMARKS.md)");
            System.exit(2);
        }
        Args args = new Args(argv, 1);
        switch (argv[0]) {
            case "idle" -> idle(args);
            case "connect" -> connect(args);
            case "unicast" -> unicast(args);
            default -> {
                System.err.println("unknown scenario: " + argv[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void log(String s) {
        System.err.println("[bench] " + s);
    }

    // ---------------------------------------------------------------- idle

    private static void idle(Args args) throws Exception {
        int n = args.integer("connections", 1000);
        String which = args.string("server", "both");
        String jvmOpts = args.string("jvm-opts", ServerProcess.DEFAULT_JVM_OPTS);
        int settle = args.integer("settle-seconds", 5);
        String secret = secret();
        log("minting " + (n + 200) + " tokens");
        byte[][] warm = LoadGenerator.hellos(secret, 1_000_000, 200);
        byte[][] hellos = LoadGenerator.hellos(secret, 0, n);
        for (String kind : which.equals("both") ? new String[] {"baseline", "gateway"} : new String[] {which}) {
            boolean gateway = kind.equals("gateway");
            try (ServerProcess server = gateway ? ServerProcess.gateway(jvmOpts, secret) : ServerProcess.baseline(jvmOpts);
                 LoadGenerator gen = new LoadGenerator(args.integer("threads", 2),
                         new InetSocketAddress("127.0.0.1", server.tcpPort), args.integer("sources", 4), gateway)) {
                gen.open(warm, 100, 60);
                gen.closeAll();
                Thread.sleep(2000);
                ServerProcess.Memory m0 = server.memory();
                log(kind + " before: " + m0);
                gen.open(hellos, args.integer("in-flight", 500), 300);
                int ok = gen.helloAcks.get() - warm.length;
                Thread.sleep(settle * 1000L);
                int open = gen.open();
                ServerProcess.Memory m1 = server.memory();
                log(kind + " after " + open + " open: " + m1);
                double rss = (double) (m1.rssBytes() - m0.rssBytes()) / open;
                double heap = (double) (m1.heapUsedBytes() - m0.heapUsedBytes()) / open;
                new Result().put("scenario", "idle").put("server", kind).put("connections", n)
                        .put("established", ok).put("open_at_measure", open).put("failures", gen.failures.get())
                        .put("rss_delta_per_conn_B", rss)
                        .put("heap_after_gc_per_conn_B", heap)
                        .put("heap_plus_rss_delta_per_conn_B", heap + rss)
                        .put("nmt_nonheap_per_conn_B", (double) (m1.nonHeapNmt() - m0.nonHeapNmt()) / open)
                        .put("nmt_other_direct_per_conn_B", (double) (m1.nmtOtherBytes() - m0.nmtOtherBytes()) / open)
                        .put("rss_after_MiB", m1.rssBytes() / 1048576.0)
                        .put("jvm_opts", jvmOpts)
                        .print();
            }
        }
    }

    // ---------------------------------------------------------------- connect

    private static void connect(Args args) throws Exception {
        int n = args.integer("connections", 5000);
        String jvmOpts = args.string("jvm-opts", ServerProcess.DEFAULT_JVM_OPTS);
        int inFlight = args.integer("in-flight", 500);
        String secret = secret();
        log("minting " + (n + 500) + " tokens");
        byte[][] warm = LoadGenerator.hellos(secret, 1_000_000, 500);
        byte[][] hellos = LoadGenerator.hellos(secret, 0, n);
        try (ServerProcess server = ServerProcess.gateway(jvmOpts, secret);
             LoadGenerator gen = new LoadGenerator(args.integer("threads", 2),
                     new InetSocketAddress("127.0.0.1", server.tcpPort), args.integer("sources", 4), true)) {
            gen.open(warm, 100, 60);
            gen.closeAll();
            Thread.sleep(1000);
            gen.connectToHello.getIntervalHistogram();
            int before = gen.helloAcks.get();
            long cpu0 = server.cpuMillis();
            long elapsed = gen.open(hellos, inFlight, 300);
            long cpu1 = server.cpuMillis();
            Histogram h = gen.connectToHello.getIntervalHistogram();
            int ok = gen.helloAcks.get() - before;
            double seconds = elapsed / 1e9;
            new Result().put("scenario", "connect").put("connections", n).put("in_flight", inFlight)
                    .put("established", ok).put("failures", gen.failures.get())
                    .put("conn_per_s", ok / seconds)
                    .put("p50_ms", h.getValueAtPercentile(50) / 1e6)
                    .put("p99_ms", h.getValueAtPercentile(99) / 1e6)
                    .put("max_ms", h.getMaxValue() / 1e6)
                    .put("gateway_cpu_pct", 100.0 * (cpu1 - cpu0) / (elapsed / 1e6))
                    .print();
        }
    }

    // ---------------------------------------------------------------- unicast

    private static void unicast(Args args) throws Exception {
        int devices = args.integer("devices", 1000);
        int seconds = args.integer("seconds", 10);
        String jvmOpts = args.string("jvm-opts", ServerProcess.DEFAULT_JVM_OPTS);
        int maxInFlight = args.integer("max-in-flight", 50_000);
        String secret = secret();
        byte[][] hellos = LoadGenerator.hellos(secret, 0, devices);
        Recorder intended = new Recorder(3);
        Recorder corrected = new Recorder(3);
        AtomicLong lastArrival = new AtomicLong();
        try (ServerProcess server = ServerProcess.gateway(jvmOpts, secret);
             LoadGenerator gen = new LoadGenerator(args.integer("threads", 2),
                     new InetSocketAddress("127.0.0.1", server.tcpPort), args.integer("sources", 4), true)) {
            gen.listener(payload -> {
                long now = System.nanoTime();
                int i = payload.readerIndex();
                intended.recordValue(now - payload.getLong(i));
                // Raw here, corrected once per step when reported: correcting per push back-fills
                // latency/interval values on the device's event loop, which starves it once pushes run late.
                corrected.recordValue(now - payload.getLong(i + 8));
                lastArrival.set(now);
            });
            gen.open(hellos, 500, 120);
            log(gen.open() + " devices online");
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext()
                    .directExecutor().build();
            PushServiceGrpc.PushServiceStub stub = PushServiceGrpc.newStub(channel);
            int warmRate = Math.min(1000, args.integers("rates", "1000").get(0));
            runRate(stub, devices, warmRate, 3, maxInFlight, server, gen, lastArrival); // JIT warm-up
            intended.getIntervalHistogram();
            corrected.getIntervalHistogram();
            for (int rate : args.integers("rates", "1000,5000,10000")) {
                long pushesBefore = gen.pushes.get();
                Step s = runRate(stub, devices, rate, seconds, maxInFlight, server, gen, lastArrival);
                Histogram h = intended.getIntervalHistogram();
                Histogram c = corrected.getIntervalHistogram().copyCorrectedForCoordinatedOmission(1_000_000_000L / rate);
                long arrived = gen.pushes.get() - pushesBefore;
                new Result().put("scenario", "unicast").put("devices", devices).put("offered_per_s", rate)
                        .put("seconds", seconds).put("sent", s.sent).put("skipped_in_flight_cap", s.skipped)
                        .put("delivered_outcomes", s.delivered.get()).put("other_outcomes", s.other.get())
                        .put("rpc_errors", s.errors.get()).put("arrived", arrived)
                        .put("arrived_per_s", arrived / s.arrivalSeconds)
                        .put("p50_ms", h.getValueAtPercentile(50) / 1e6)
                        .put("p99_ms", h.getValueAtPercentile(99) / 1e6)
                        .put("p999_ms", h.getValueAtPercentile(99.9) / 1e6)
                        .put("max_ms", h.getMaxValue() / 1e6)
                        .put("co_corrected_p99_ms", c.getValueAtPercentile(99) / 1e6)
                        .put("gateway_cpu_pct", s.gatewayCpuPct)
                        .put("bench_cpu_pct", s.benchCpuPct)
                        .print();
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static final class Step {
        long sent;
        long skipped;
        double arrivalSeconds;
        double gatewayCpuPct;
        double benchCpuPct;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
    }

    /** Sends {@code rate} pushes a second for {@code seconds}, open loop, each to a random device's user. */
    private static Step runRate(PushServiceGrpc.PushServiceStub stub, int devices, int rate, int seconds,
            int maxInFlight, ServerProcess server, LoadGenerator gen, AtomicLong lastArrival)
            throws Exception {
        Step step = new Step();
        AtomicInteger inFlight = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        long cpu0 = server.cpuMillis();
        long self0 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
        long pushesBefore = gen.pushes.get();
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
            if (inFlight.get() >= maxInFlight) {
                step.skipped++;
                continue;
            }
            putLong(buf, 0, due);
            putLong(buf, 8, now);
            int user = ThreadLocalRandom.current().nextInt(devices);
            PushRequest request = PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId("u" + user))
                    .setPayload(ByteString.copyFrom(buf)).build();
            inFlight.incrementAndGet();
            step.sent++;
            stub.push(request, new StreamObserver<PushReply>() {
                @Override
                public void onNext(PushReply reply) {
                    for (DeviceOutcome o : reply.getOutcomesList()) {
                        if (o.getOutcome() == DeviceOutcome.Outcome.DELIVERED) {
                            step.delivered.incrementAndGet();
                        } else {
                            step.other.incrementAndGet();
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    step.errors.incrementAndGet();
                    inFlight.decrementAndGet();
                }

                @Override
                public void onCompleted() {
                    inFlight.decrementAndGet();
                }
            });
        }
        long sendEnd = System.nanoTime();
        long deadline = sendEnd + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // the step ends when every push written has arrived (or 30 s passed), so no backlog leaks into the next step
        long arrivalDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gen.pushes.get() - pushesBefore < step.delivered.get() && System.nanoTime() < arrivalDeadline) {
            Thread.sleep(5);
        }
        long end = Math.max(sendEnd, lastArrival.get());
        step.arrivalSeconds = (end - start) / 1e9;
        long wall = (System.nanoTime() - start) / 1_000_000;
        step.gatewayCpuPct = 100.0 * (server.cpuMillis() - cpu0) / wall;
        long self1 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
        step.benchCpuPct = 100.0 * (self1 - self0) / wall;
        return step;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
