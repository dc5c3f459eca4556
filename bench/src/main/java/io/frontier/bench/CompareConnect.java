package io.frontier.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * compare connect: new WebSocket devices per second, at most {@code --in-flight} connecting at
 * once (a closed loop), after {@code --warm-up} (2,000) that connect and leave again (the JVMs' JIT); the server's CPU per connect.
 * A device counts once it is usable: Frontier's after its token was verified and its HELLO came
 * (authenticated), a peer's once the upgrade (nchan: and the subscription) is done: no peer
 * authenticates.
 */
final class CompareConnect implements Compare.Scenario {
    @Override
    public boolean pushes() {
        return false;
    }

    @Override
    public List<Figure> measure(Contender server, Compare.Context ctx) throws Exception {
        int inFlight = ctx.args().integer("in-flight", 50);
        Credentials devices = ctx.devices();
        try (LoadGenerator gen = server.devices(ctx.args(), ctx.protocol(), false)) {
            gen.open(Credentials.mint(ctx.secret(), 1_000_000, ctx.args().integer("warm-up", 2000)), 100, 120);
            gen.closeAll();
            Thread.sleep(1000);
            gen.connectToHello.getIntervalHistogram();
            int before = gen.helloAcks.get();
            int failuresBefore = gen.failures.get();
            Figure.CpuMeter meter = new Figure.CpuMeter(server);
            long elapsed = gen.open(devices, inFlight, 300);
            int ok = gen.helloAcks.get() - before;
            Figure.Cpu cpu = meter.stop(ok);
            Histogram h = gen.connectToHello.getIntervalHistogram();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("in_flight", inFlight);
            details.put("established", ok);
            details.put("failures", gen.failures.get() - failuresBefore);
            details.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
            details.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
            String bound = inFlight + " in flight";
            return List.of(
                    Figure.of("connects per second", "conn/s", ok / (elapsed / 1e9), cpu, server.cores(), bound, details),
                    Figure.of("p99 connect to usable", "ms", h.getValueAtPercentile(99) / 1e6, cpu, server.cores(), bound,
                            Map.of()));
        }
    }
}
