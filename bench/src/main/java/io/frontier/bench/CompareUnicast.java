package io.frontier.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * compare unicast: pushes to random devices, open loop, one step per offered rate (after
 * warm-up steps, {@code --warm-up-rates 1000,5000} for {@code --warm-up-seconds 3} each: the
 * JVMs' JIT, the gateway's and the generator's gRPC client alike); latency from each push's intended send time to its arrival. Figures:
 * the p99 at each rate, and the highest rate whose step kept p99 under 10 ms with every push
 * arrived (what limited it is read from the step above it, the first that failed). Pushes go
 * through each server's own API: Frontier's gRPC Push API, HTTP POSTs for the baseline, nchan and
 * the Node server, MQTT QoS 0 PUBLISHes for mosquitto.
 */
final class CompareUnicast implements Compare.Scenario {
    private static final double P99_LIMIT_MS = 10;

    @Override
    public boolean pushes() {
        return true;
    }

    @Override
    public List<Figure> measure(Contender server, Compare.Context ctx) throws Exception {
        Args args = ctx.args();
        int seconds = args.integer("seconds", 3);
        // Frontier's pushes go --group at a time in PushMany calls when it is over 1; the peers have no such call.
        int group = server instanceof FrontierContender ? args.integer("group", 1) : 1;
        int devices = ctx.devices().count();
        Recorder latency = new Recorder(3);
        AtomicLong lastArrival = new AtomicLong();
        try (LoadGenerator gen = server.devices(args, ctx.protocol(), false);
             Pusher pusher = new Pusher(server.pushes(), devices, args.integer("max-in-flight", 50_000), Stamp.HEX)) {
            gen.listener(payload -> {
                long now = System.nanoTime();
                latency.recordValue(Math.max(0, now - Stamp.HEX.due(payload)));
                lastArrival.set(now);
            });
            Main.openAll(gen, ctx.devices(), 500);
            for (int rate : args.integers("warm-up-rates", "1000,5000")) {
                step(server, gen, pusher, rate, args.integer("warm-up-seconds", 3), group, latency);
            }
            List<Figure> figures = new ArrayList<>();
            Figure best = null;
            Figure firstFailed = null;
            for (int rate : args.integers("rates", "2000,5000,10000,15000,20000,30000")) {
                Figure f = step(server, gen, pusher, rate, seconds, group, latency);
                figures.add(f);
                boolean ok = (boolean) f.details().get("passed");
                if (ok && firstFailed == null) {
                    best = f;
                } else if (!ok && firstFailed == null) {
                    firstFailed = f;
                }
                // Past an overloaded step the higher ones only pile up more backlog.
                if (!ok && f.value() > 100 * P99_LIMIT_MS) {
                    break;
                }
            }
            Figure limiting = firstFailed != null ? firstFailed : figures.get(figures.size() - 1);
            figures.add(new Figure("highest rate with p99 < 10 ms", "push/s",
                    best == null ? 0 : ((Number) best.details().get("offered_per_s")).doubleValue(),
                    limiting.serverCpuUsPerOp(), limiting.serverCpuPct(), limiting.generatorCpuPct(),
                    firstFailed == null ? "highest rate offered" : limiting.bound(), Map.of("limited_at_step",
                            limiting.details().get("offered_per_s"))));
            return figures;
        }
    }

    private static Figure step(Contender server, LoadGenerator gen, Pusher pusher, int rate, int seconds, int group,
            Recorder latency) throws Exception {
        latency.getIntervalHistogram();
        long before = gen.pushes.get();
        Figure.CpuMeter meter = new Figure.CpuMeter(server);
        Pusher.Run run = pusher.run(rate, Duration.ofSeconds(seconds), group);
        // The step ends when every push delivered has arrived (or 10 s passed): no backlog leaks into the next.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gen.pushes.get() - before < run.delivered.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long arrived = gen.pushes.get() - before;
        Figure.Cpu cpu = meter.stop(arrived);
        Histogram h = latency.getIntervalHistogram();
        long offered = (long) rate * seconds;
        double p99 = h.getValueAtPercentile(99) / 1e6;
        boolean passed = p99 < P99_LIMIT_MS && arrived >= offered;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offered_per_s", rate);
        details.put("group", group);
        details.put("sent", run.sent);
        details.put("skipped_in_flight_cap", run.skipped);
        details.put("delivered", run.delivered.get());
        details.put("other_outcomes", run.other());
        details.put("arrived", arrived);
        details.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
        details.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
        details.put("passed", passed);
        if (run.other() > 0) {
            Main.log("  not delivered at " + rate + "/s: " + run.otherByReason());
        }
        return Figure.of("p99 at " + rate + "/s", "ms", p99, cpu, server.cores(),
                passed ? "offered rate" : "neither at 90%", details);
    }
}
