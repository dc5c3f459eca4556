package io.frontier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        int generators = args.integer("generators", 1);
        LoadGenerator.Protocol protocol = Main.protocol(args);
        String secret = Main.secret();
        Sampling sampling = Sampling.of(args);
        // glibc gives threads that malloc at the same time arenas of their own (up to 8 per core), and
        // how much each keeps resident after a trim varies from run to run; two arenas keep that small.
        String arenas = args.string("malloc-arena-max", "2");
        Map<String, String> env = arenas.equals("default") ? Map.of() : Map.of("MALLOC_ARENA_MAX", arenas);
        for (String kind : which.equals("both") ? new String[] {"baseline", "gateway"} : new String[] {which}) {
            boolean gateway = kind.equals("gateway");
            if (!gateway && generators > 1) {
                throw new IllegalArgumentException("--generators: the baseline is one process; measure it with one generator");
            }
            try (Gateway server = gateway ? Gateway.start(args, jvmOpts, secret, env) : null;
                 ServerProcess baseline = gateway ? null : ServerProcess.baseline(jvmOpts, Gateway.ioTransport(args), env)) {
                List<ServerProcess> holders = gateway ? server.edges() : List.of(baseline);
                LoadGenerator.Targets targets = gateway ? server.targets(protocol) : new LoadGenerator.Targets(
                        List.of(new java.net.InetSocketAddress("127.0.0.1", baseline.tcpPort)),
                        List.of(new java.net.InetSocketAddress("127.0.0.1", baseline.wsPort)), protocol);
                warmUp(args, targets, secret, gateway);
                List<ServerProcess.Memory> before = sampling.memory(holders);
                // With --histogram, NMT's baseline is the midpoint, where the native figure starts.
                boolean nmtDiff = args.integer("histogram", 0) > 0 && jvmOpts.contains("NativeMemoryTracking");
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
                        half[0] = new Point(gen.open(), sampling.memory(holders));
                        if (nmtDiff) {
                            holders.get(0).nativeMemoryBaseline();
                        }
                        gen.open(secondHalf, args.integer("in-flight", 500), 600);
                        measure(kind, n, gen.failures.get(), holders, start, half[0],
                                new Point(gen.open(), sampling.memory(holders)), args, server, env);
                    } finally {
                        gen.close();
                    }
                } else {
                    try (Agent.Fleet fleet = Agent.Fleet.start(args, targets, secret, n, generators,
                            open -> {
                                half[0] = new Point(open, sampling.memory(holders));
                                if (nmtDiff) {
                                    holders.get(0).nativeMemoryBaseline();
                                }
                            })) {
                        measure(kind, n, fleet.failures(), holders, start, half[0],
                                new Point(fleet.open(), sampling.memory(holders)), args, server, env);
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

    /**
     * How a point is measured once connections stop coming: wait until the JIT of every process
     * has been quiet for {@code settleMillis} (see {@link ServerProcess#awaitCompilersQuiet}), then
     * take {@code samples} samples {@code gapMillis} apart (each after two full GCs and a trim of
     * the C heap) and keep, per process, the smallest value of each figure. The connections' memory
     * is in every sample; what the smallest leaves out comes and goes (C heap the trim did not
     * return yet, work areas of the GC or of a late compilation).
     */
    record Sampling(long settleMillis, int samples, long gapMillis) {
        /** {@code --settle-seconds 6 --samples 3 --sample-gap-seconds 2}. */
        static Sampling of(Args args) {
            return new Sampling(args.integer("settle-seconds", 6) * 1000L, args.integer("samples", 3),
                    args.integer("sample-gap-seconds", 2) * 1000L);
        }


        List<ServerProcess.Memory> memory(List<ServerProcess> processes) throws Exception {
            long waited = ServerProcess.awaitCompilersQuiet(processes, settleMillis, 120_000);
            List<List<ServerProcess.Memory>> taken = new ArrayList<>();
            for (int s = 0; s < samples; s++) {
                if (s > 0) {
                    Thread.sleep(gapMillis);
                }
                List<ServerProcess.Memory> one = new ArrayList<>();
                for (ServerProcess p : processes) {
                    one.add(p.memory());
                }
                taken.add(one);
            }
            List<ServerProcess.Memory> out = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                ServerProcess.Memory min = null;
                StringBuilder rss = new StringBuilder();
                StringBuilder heap = new StringBuilder();
                for (List<ServerProcess.Memory> one : taken) {
                    ServerProcess.Memory m = one.get(i);
                    min = min == null ? m : min.min(m);
                    rss.append(rss.length() == 0 ? "" : " / ").append(m.rssBytes() / 1024);
                    heap.append(heap.length() == 0 ? "" : " / ").append(m.heapUsedBytes() / 1024).append(" (live ")
                            .append(m.liveBytes() / 1024).append(")");
                }
                Main.log(processes.get(i).name + ": JIT quiet after " + waited / 1000 + " s; samples: RssAnon " + rss
                        + " KiB, heap used " + heap + " KiB");
                out.add(min);
            }
            return out;
        }
    }

    /** The open connections at one point, and the memory of each process that holds them. */
    private record Point(int open, List<ServerProcess.Memory> memory) {
        long sum(java.util.function.ToLongFunction<ServerProcess.Memory> part) {
            return memory.stream().mapToLong(part).sum();
        }
    }

    /**
     * Heap per connection from the start (no connection) to the end, as G1 counts it used after a
     * full GC and as the live objects' bytes (the G1 figure also counts slack that depends on the
     * run's garbage, see {@link ServerProcess.Memory}); native memory
     * (anonymous RSS) from the midpoint to the end: the JVM's own native memory still moves for a
     * while after start (compiler arenas, code), by megabytes, and would swamp the connections' share.
     */
    private static void measure(String kind, int n, int failures, List<ServerProcess> holders, Point start,
            Point half, Point end, Args args, Gateway server, Map<String, String> env) throws Exception {
        int open = end.open();
        String jvmOpts = Main.jvmOpts(args);
        Main.log(kind + " after " + open + " open: " + end.memory());
        int histogram = args.integer("histogram", 0);
        if (histogram > 0) {
            Main.log(kind + " live objects, largest first:\n" + holders.get(0).histogram(histogram));
            if (jvmOpts.contains("NativeMemoryTracking")) {
                Main.log(kind + " native memory since the midpoint:\n" + holders.get(0).nativeMemoryDiff());
            }
        }
        double perHeap = (double) (end.sum(ServerProcess.Memory::heapUsedBytes)
                - start.sum(ServerProcess.Memory::heapUsedBytes)) / open;
        int added = open - half.open();
        double perRss = (double) (end.sum(ServerProcess.Memory::rssBytes) - half.sum(ServerProcess.Memory::rssBytes))
                / added;
        double perLive = (double) (end.sum(ServerProcess.Memory::liveBytes) - start.sum(ServerProcess.Memory::liveBytes))
                / open;
        double perHeapSecondHalf = (double) (end.sum(ServerProcess.Memory::heapUsedBytes)
                - half.sum(ServerProcess.Memory::heapUsedBytes)) / added;
        long nonHeap = end.sum(ServerProcess.Memory::nonHeapNmt) - half.sum(ServerProcess.Memory::nonHeapNmt);
        long other = end.sum(ServerProcess.Memory::nmtOtherBytes) - half.sum(ServerProcess.Memory::nmtOtherBytes);
        long code = end.sum(ServerProcess.Memory::nmtCodeBytes) - half.sum(ServerProcess.Memory::nmtCodeBytes);
        long arena = end.sum(ServerProcess.Memory::nmtArenaBytes) - half.sum(ServerProcess.Memory::nmtArenaBytes);
        new Result().put("scenario", "idle").put("server", kind)
                .put("mode", server == null ? "baseline" : server.mode())
                .put("processes", holders.size()).put("protocol", Main.protocol(args).name().toLowerCase())
                .put("connections", n).put("open_at_half", half.open()).put("open_at_measure", open)
                .put("failures", failures)
                .put("heap_after_gc_per_conn_B", perHeap)
                .put("heap_second_half_per_conn_B", perHeapSecondHalf)
                .put("heap_live_per_conn_B", perLive)
                .put("rss_anon_second_half_per_conn_B", perRss)
                .put("heap_plus_rss_per_conn_B", perHeap + perRss)
                .put("nmt_nonheap_second_half_per_conn_B", (double) nonHeap / added)
                .put("nmt_other_direct_second_half_per_conn_B", (double) other / added)
                .put("nmt_code_second_half_per_conn_B", (double) code / added)
                .put("nmt_arena_second_half_per_conn_B", (double) arena / added)
                .put("rss_anon_after_MiB", end.sum(ServerProcess.Memory::rssBytes) / 1048576.0)
                .put("jvm_opts", jvmOpts)
                .put("env", env.toString())
                .print();
    }
}
