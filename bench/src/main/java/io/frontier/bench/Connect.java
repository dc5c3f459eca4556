package io.frontier.bench;

import org.HdrHistogram.Histogram;

/** connect: new authenticated connections per second, and each one's time from connect to the gateway's Hello. */
final class Connect {
    private Connect() {
    }

    static void run(Args args) throws Exception {
        int n = args.integer("connections", 5000);
        int inFlight = args.integer("in-flight", 500);
        String secret = Main.secret();
        Main.log("minting " + (n + 500) + " tokens");
        Credentials warm = Credentials.mint(secret, 1_000_000, 500);
        Credentials devices = Credentials.mint(secret, 0, n);
        try (Gateway server = Gateway.start(args, Main.jvmOpts(args), secret);
             LoadGenerator gen = Main.generator(args, server.targets(Main.protocol(args)), true)) {
            gen.open(warm, 100, 60);
            gen.closeAll();
            Thread.sleep(1000);
            gen.connectToHello.getIntervalHistogram();
            int before = gen.helloAcks.get();
            int failuresBefore = gen.failures.get();
            long cpu0 = Gateway.cpuMillis(server.pushPath());
            long elapsed = gen.open(devices, inFlight, 300);
            long cpu1 = Gateway.cpuMillis(server.pushPath());
            Histogram h = gen.connectToHello.getIntervalHistogram();
            int ok = gen.helloAcks.get() - before;
            new Result().put("scenario", "connect").put("mode", server.mode()).put("edges", server.edges().size())
                    .put("protocol", Main.protocol(args).name().toLowerCase())
                    .put("connections", n).put("in_flight", inFlight)
                    .put("established", ok).put("failures", gen.failures.get() - failuresBefore)
                    .put("conn_per_s", ok / (elapsed / 1e9))
                    .put("p50_ms", h.getValueAtPercentile(50) / 1e6)
                    .put("p99_ms", h.getValueAtPercentile(99) / 1e6)
                    .put("max_ms", h.getMaxValue() / 1e6)
                    .put("gateway_cpu_pct", 100.0 * (cpu1 - cpu0) / (elapsed / 1e6))
                    .print();
        }
    }
}
