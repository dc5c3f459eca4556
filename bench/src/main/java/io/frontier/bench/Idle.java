package io.frontier.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * idle: memory per idle connection in the processes that hold them, against the bare-Netty
 * baseline holding the same connections. Past one process's open-file limit the devices
 * come from several generator processes ({@code --generators}) and the gateway runs as
 * a cluster of several edges ({@code --mode cluster --edges N}).
 */
final class Idle {
    private Idle() {
    }

    static void run(Args args) throws Exception {
        int n = args.integer("connections", 1000);
        String which = args.string("server", "both");
        String jvmOpts = Main.jvmOpts(args);
        int settle = args.integer("settle-seconds", 5);
        int generators = args.integer("generators", 1);
        LoadGenerator.Protocol protocol = Main.protocol(args);
        String secret = Main.secret();
        for (String kind : which.equals("both") ? new String[] {"baseline", "gateway"} : new String[] {which}) {
            boolean gateway = kind.equals("gateway");
            if (!gateway && generators > 1) {
                throw new IllegalArgumentException("--generators: the baseline is one process; measure it with one generator");
            }
            try (Gateway server = gateway ? Gateway.start(args, jvmOpts, secret) : null;
                 ServerProcess baseline = gateway ? null : ServerProcess.baseline(jvmOpts, Gateway.ioTransport(args))) {
                List<ServerProcess> holders = gateway ? server.edges() : List.of(baseline);
                LoadGenerator.Targets targets = gateway ? server.targets(protocol) : new LoadGenerator.Targets(
                        List.of(new java.net.InetSocketAddress("127.0.0.1", baseline.tcpPort)),
                        List.of(new java.net.InetSocketAddress("127.0.0.1", baseline.wsPort)), protocol);
                warmUp(args, targets, secret, gateway);
                List<ServerProcess.Memory> before = memory(holders);
                if (args.integer("histogram", 0) > 0 && jvmOpts.contains("NativeMemoryTracking")) {
                    holders.get(0).nativeMemoryBaseline();
                }
                Main.log(kind + " before: " + before);
                int open;
                int failures;
                if (generators <= 1) {
                    LoadGenerator gen = Main.generator(args, targets, gateway);
                    try {
                        Main.log("minting " + n + " tokens");
                        gen.open(Credentials.mint(secret, 0, n), args.integer("in-flight", 500), 600);
                        Thread.sleep(settle * 1000L);
                        open = gen.open();
                        failures = gen.failures.get();
                        measure(kind, n, open, failures, holders, before, jvmOpts, args, server);
                    } finally {
                        gen.close();
                    }
                } else {
                    try (Agent.Fleet fleet = Agent.Fleet.start(args, targets, secret, n, generators)) {
                        Thread.sleep(settle * 1000L);
                        open = fleet.open();
                        failures = fleet.failures();
                        measure(kind, n, open, failures, holders, before, jvmOpts, args, server);
                    }
                }
            }
        }
    }

    /** 200 connections opened and closed, so that lazily built parts of the server are not counted per connection. */
    private static void warmUp(Args args, LoadGenerator.Targets targets, String secret, boolean gateway) throws Exception {
        try (LoadGenerator warm = Main.generator(args, targets, gateway)) {
            warm.open(Credentials.mint(secret, 1_000_000, 200), 100, 60);
        }
        Thread.sleep(2000);
    }

    private static List<ServerProcess.Memory> memory(List<ServerProcess> processes) throws Exception {
        List<ServerProcess.Memory> out = new ArrayList<>();
        for (ServerProcess p : processes) {
            out.add(p.memory());
        }
        return out;
    }

    private static void measure(String kind, int n, int open, int failures, List<ServerProcess> holders,
            List<ServerProcess.Memory> before, String jvmOpts, Args args, Gateway server) throws Exception {
        List<ServerProcess.Memory> after = memory(holders);
        Main.log(kind + " after " + open + " open: " + after);
        int histogram = args.integer("histogram", 0);
        if (histogram > 0) {
            Main.log(kind + " live objects, largest first:\n" + holders.get(0).histogram(histogram));
            if (jvmOpts.contains("NativeMemoryTracking")) {
                Main.log(kind + " native memory since before:\n" + holders.get(0).nativeMemoryDiff());
            }
        }
        long rss = 0;
        long heap = 0;
        long nonHeap = 0;
        long other = 0;
        long rssAfter = 0;
        for (int i = 0; i < holders.size(); i++) {
            ServerProcess.Memory m0 = before.get(i);
            ServerProcess.Memory m1 = after.get(i);
            rss += m1.rssBytes() - m0.rssBytes();
            heap += m1.heapUsedBytes() - m0.heapUsedBytes();
            nonHeap += m1.nonHeapNmt() - m0.nonHeapNmt();
            other += m1.nmtOtherBytes() - m0.nmtOtherBytes();
            rssAfter += m1.rssBytes();
        }
        double perRss = (double) rss / open;
        double perHeap = (double) heap / open;
        new Result().put("scenario", "idle").put("server", kind)
                .put("mode", server == null ? "baseline" : server.mode())
                .put("processes", holders.size()).put("protocol", Main.protocol(args).name().toLowerCase())
                .put("connections", n).put("open_at_measure", open).put("failures", failures)
                .put("rss_delta_per_conn_B", perRss)
                .put("heap_after_gc_per_conn_B", perHeap)
                .put("heap_plus_rss_delta_per_conn_B", perHeap + perRss)
                .put("nmt_nonheap_per_conn_B", (double) nonHeap / open)
                .put("nmt_other_direct_per_conn_B", (double) other / open)
                .put("rss_after_MiB", rssAfter / 1048576.0)
                .put("jvm_opts", jvmOpts)
                .print();
    }
}
