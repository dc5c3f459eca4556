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
                Point start = new Point(0, before);
                Point[] half = new Point[1];
                if (generators <= 1) {
                    LoadGenerator gen = Main.generator(args, targets, gateway);
                    try {
                        int first = n / 2;
                        Main.log("minting " + n + " tokens");
                        Credentials firstHalf = Credentials.mint(secret, 0, first);
                        Credentials secondHalf = Credentials.mint(secret, first, n - first);
                        gen.open(firstHalf, args.integer("in-flight", 500), 600);
                        Thread.sleep(settle * 1000L);
                        half[0] = new Point(gen.open(), memory(holders));
                        gen.open(secondHalf, args.integer("in-flight", 500), 600);
                        Thread.sleep(settle * 1000L);
                        measure(kind, n, gen.failures.get(), holders, start, half[0],
                                new Point(gen.open(), memory(holders)), args, server);
                    } finally {
                        gen.close();
                    }
                } else {
                    try (Agent.Fleet fleet = Agent.Fleet.start(args, targets, secret, n, generators, open -> {
                        Thread.sleep(settle * 1000L);
                        half[0] = new Point(open, memory(holders));
                    })) {
                        Thread.sleep(settle * 1000L);
                        measure(kind, n, fleet.failures(), holders, start, half[0],
                                new Point(fleet.open(), memory(holders)), args, server);
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

    /** The open connections at one point, and the memory of each process that holds them. */
    private record Point(int open, List<ServerProcess.Memory> memory) {
        long sum(java.util.function.ToLongFunction<ServerProcess.Memory> part) {
            return memory.stream().mapToLong(part).sum();
        }
    }

    /**
     * Heap per connection from the start (no connection) to the end; native memory (anonymous
     * RSS) from the midpoint to the end: the JVM's own native memory still moves for a while
     * after start (compiler arenas, code), by megabytes, and would swamp the connections' share.
     */
    private static void measure(String kind, int n, int failures, List<ServerProcess> holders, Point start,
            Point half, Point end, Args args, Gateway server) throws Exception {
        int open = end.open();
        String jvmOpts = Main.jvmOpts(args);
        Main.log(kind + " after " + open + " open: " + end.memory());
        int histogram = args.integer("histogram", 0);
        if (histogram > 0) {
            Main.log(kind + " live objects, largest first:\n" + holders.get(0).histogram(histogram));
            if (jvmOpts.contains("NativeMemoryTracking")) {
                Main.log(kind + " native memory since before:\n" + holders.get(0).nativeMemoryDiff());
            }
        }
        double perHeap = (double) (end.sum(ServerProcess.Memory::heapUsedBytes)
                - start.sum(ServerProcess.Memory::heapUsedBytes)) / open;
        int added = open - half.open();
        double perRss = (double) (end.sum(ServerProcess.Memory::rssBytes) - half.sum(ServerProcess.Memory::rssBytes))
                / added;
        double perHeapSecondHalf = (double) (end.sum(ServerProcess.Memory::heapUsedBytes)
                - half.sum(ServerProcess.Memory::heapUsedBytes)) / added;
        long nonHeap = end.sum(ServerProcess.Memory::nonHeapNmt) - half.sum(ServerProcess.Memory::nonHeapNmt);
        long other = end.sum(ServerProcess.Memory::nmtOtherBytes) - half.sum(ServerProcess.Memory::nmtOtherBytes);
        new Result().put("scenario", "idle").put("server", kind)
                .put("mode", server == null ? "baseline" : server.mode())
                .put("processes", holders.size()).put("protocol", Main.protocol(args).name().toLowerCase())
                .put("connections", n).put("open_at_half", half.open()).put("open_at_measure", open)
                .put("failures", failures)
                .put("heap_after_gc_per_conn_B", perHeap)
                .put("heap_second_half_per_conn_B", perHeapSecondHalf)
                .put("rss_anon_second_half_per_conn_B", perRss)
                .put("heap_plus_rss_per_conn_B", perHeap + perRss)
                .put("nmt_nonheap_second_half_per_conn_B", (double) nonHeap / added)
                .put("nmt_other_direct_second_half_per_conn_B", (double) other / added)
                .put("rss_anon_after_MiB", end.sum(ServerProcess.Memory::rssBytes) / 1048576.0)
                .put("jvm_opts", jvmOpts)
                .print();
    }
}
