package io.frontier.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * unicast: pushes through the Push API to random online devices, open loop, one step per
 * offered rate; latency from each push's intended send time to its arrival.
 */
final class Unicast {
    private Unicast() {
    }

    static void run(Args args) throws Exception {
        int devices = args.integer("devices", 1000);
        int seconds = args.integer("seconds", 10);
        // Pushes per call: over 1, each call is a PushMany to that many distinct devices' users.
        int group = args.integer("group", 1);
        String secret = Main.secret();
        Credentials credentials = Credentials.mint(secret, 0, devices);
        Recorder intended = new Recorder(3);
        Recorder corrected = new Recorder(3);
        AtomicLong lastArrival = new AtomicLong();
        try (Gateway server = Gateway.start(args, Main.jvmOpts(args), secret);
             LoadGenerator gen = Main.generator(args, server.targets(Main.protocol(args)), true);
             Pusher pusher = new Pusher(server.pushPort(), devices, args.integer("max-in-flight", 50_000))) {
            gen.listener(payload -> {
                long now = System.nanoTime();
                int i = payload.readerIndex();
                intended.recordValue(now - payload.getLong(i));
                // Raw here, corrected once per step when reported: correcting per push back-fills
                // latency/interval values on the device's event loop, which starves it once pushes run late.
                corrected.recordValue(now - payload.getLong(i + 8));
                lastArrival.set(now);
            });
            Main.openAll(gen, credentials, 500);
            server.awaitRecorded(devices);
            int warmRate = Math.min(1000, args.integers("rates", "1000").get(0));
            step(pusher, warmRate, 3, group, server, gen, lastArrival); // JIT warm-up
            intended.getIntervalHistogram();
            corrected.getIntervalHistogram();
            for (int rate : args.integers("rates", "1000,5000,10000")) {
                long pushesBefore = gen.pushes.get();
                Step s = step(pusher, rate, seconds, group, server, gen, lastArrival);
                Histogram h = intended.getIntervalHistogram();
                Histogram c = corrected.getIntervalHistogram().copyCorrectedForCoordinatedOmission(1_000_000_000L / rate);
                long arrived = gen.pushes.get() - pushesBefore;
                new Result().put("scenario", "unicast").put("mode", server.mode()).put("edges", server.edges().size())
                        .put("protocol", Main.protocol(args).name().toLowerCase())
                        .put("devices", devices).put("group", group).put("offered_per_s", rate)
                        .put("seconds", seconds).put("sent", s.run.sent).put("skipped_in_flight_cap", s.run.skipped)
                        .put("delivered_outcomes", s.run.delivered.get()).put("other_outcomes", s.run.other())
                        .put("rpc_errors", s.run.errors.get()).put("arrived", arrived)
                        .put("arrived_per_s", arrived / s.arrivalSeconds)
                        .put("p50_ms", h.getValueAtPercentile(50) / 1e6)
                        .put("p99_ms", h.getValueAtPercentile(99) / 1e6)
                        .put("p999_ms", h.getValueAtPercentile(99.9) / 1e6)
                        .put("max_ms", h.getMaxValue() / 1e6)
                        .put("co_corrected_p99_ms", c.getValueAtPercentile(99) / 1e6)
                        .put("gateway_cpu_pct", s.gatewayCpuPct)
                        .put("control_plane_cpu_pct", s.controlPlaneCpuPct)
                        .put("edges_cpu_pct", s.edgesCpuPct)
                        .put("redis_cpu_pct", s.redisCpuPct)
                        .put("bench_cpu_pct", s.benchCpuPct)
                        .print();
                if (s.run.other() > 0) {
                    Main.log("not delivered: " + s.run.otherByReason());
                }
            }
        }
    }

    private record Step(Pusher.Run run, double arrivalSeconds, double gatewayCpuPct, double controlPlaneCpuPct,
            double edgesCpuPct, double redisCpuPct, double benchCpuPct) {
    }

    private static Step step(Pusher pusher, int rate, int seconds, int group, Gateway server, LoadGenerator gen,
            AtomicLong lastArrival) throws Exception {
        long cpu0 = Gateway.cpuMillis(server.pushPath());
        long cp0 = Gateway.cpuMillis(server.controlPlane());
        long edges0 = Gateway.cpuMillis(server.edges());
        long redis0 = server.redisCpuMillis();
        long self0 = selfCpuMillis();
        long pushesBefore = gen.pushes.get();
        long start = System.nanoTime();
        Pusher.Run run = pusher.run(rate, Duration.ofSeconds(seconds), group);
        // the step ends when every push written has arrived (or 30 s passed), so no backlog leaks into the next step
        long arrivalDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gen.pushes.get() - pushesBefore < run.delivered.get() && System.nanoTime() < arrivalDeadline) {
            Thread.sleep(5);
        }
        long end = Math.max(run.sendEndNanos, lastArrival.get());
        long wall = (System.nanoTime() - start) / 1_000_000;
        return new Step(run, (end - start) / 1e9, 100.0 * (Gateway.cpuMillis(server.pushPath()) - cpu0) / wall,
                100.0 * (Gateway.cpuMillis(server.controlPlane()) - cp0) / wall,
                100.0 * (Gateway.cpuMillis(server.edges()) - edges0) / wall,
                100.0 * (server.redisCpuMillis() - redis0) / wall,
                100.0 * (selfCpuMillis() - self0) / wall);
    }

    static long selfCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
    }
}
