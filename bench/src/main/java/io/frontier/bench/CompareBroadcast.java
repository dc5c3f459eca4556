package io.frontier.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * compare broadcast: one message to every WebSocket device, a round at a time ({@code --warmup-rounds},
 * 10 by default, first: a JVM compiles its write path over several rounds, and a gateway in service
 * runs warm), the next round once every device has it (or 30 s passed). Per round: devices
 * reached per second from the call to the last device's arrival (the servers answer the call at
 * different points, so the call's reply is no common end), the p99 and the last device's latency.
 * Frontier's devices ack every push and the gateway reads those acks; the peers' devices send
 * nothing back, since none of them has acks.
 */
final class CompareBroadcast implements Compare.Scenario {
    @Override
    public boolean pushes() {
        return true;
    }

    @Override
    public List<Figure> measure(Contender server, Compare.Context ctx) throws Exception {
        int rounds = ctx.args().integer("rounds", 5);
        int warmup = ctx.args().integer("warmup-rounds", 10);
        Recorder latency = new Recorder(3);
        AtomicLong lastArrival = new AtomicLong();
        try (LoadGenerator gen = server.devices(ctx.args(), ctx.protocol(), true)) {
            gen.listener(payload -> {
                long now = System.nanoTime();
                latency.recordValue(Math.max(0, now - Stamp.HEX.due(payload)));
                lastArrival.set(now);
            });
            Main.openAll(gen, ctx.devices(), 500);
            int devices = ctx.devices().count();
            List<Double> perSecond = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            List<Double> last = new ArrayList<>();
            Figure.Cpu cpu = Figure.Cpu.NONE;
            long missing = 0;
            for (int round = -warmup; round < rounds; round++) {
                long before = gen.pushes.get();
                latency.getIntervalHistogram();
                Figure.CpuMeter meter = new Figure.CpuMeter(server);
                long sent = System.nanoTime();
                server.broadcast(Stamp.HEX.encode(sent, sent));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (gen.pushes.get() - before < devices && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                long arrived = gen.pushes.get() - before;
                Figure.Cpu roundCpu = meter.stop(arrived);
                Histogram h = latency.getIntervalHistogram();
                double lastMs = (lastArrival.get() - sent) / 1e6;
                Main.log("  round " + round + ": " + arrived + " of " + devices + " arrived, last after "
                        + String.format("%.1f", lastMs) + " ms");
                if (round >= 0) {
                    cpu = cpu.plus(roundCpu);
                    missing += devices - arrived;
                    perSecond.add(arrived / (lastMs / 1e3));
                    p99.add(h.getValueAtPercentile(99) / 1e6);
                    last.add(lastMs);
                }
                Thread.sleep(200);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rounds", rounds);
            details.put("not_arrived", missing);
            details.put("devices_ack", server.name().equals("frontier") && ctx.args().flag("acks", true));
            String bound = "neither at 90%";
            return List.of(
                    Figure.of("broadcast messages per second (call to last device)", "msg/s", median(perSecond), cpu,
                            server.cores(), bound, details),
                    Figure.of("broadcast p99 to a device", "ms", median(p99), cpu, server.cores(), bound, Map.of()),
                    Figure.of("broadcast last device", "ms", median(last), cpu, server.cores(), bound, Map.of()));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
