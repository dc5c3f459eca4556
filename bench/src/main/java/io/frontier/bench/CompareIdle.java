package io.frontier.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * compare idle: memory per idle connection. JVMs as bench/run's idle measures them (live heap
 * from no connection to N, plus anonymous RSS from N/2 to N, after full GCs and a quiet JIT);
 * the other servers by their processes' memory ({@link Proc#treeMemoryBytes}) from no
 * connection to N, the smallest of three samples each time.
 */
final class CompareIdle implements Compare.Scenario {
    @Override
    public boolean pushes() {
        return false;
    }

    @Override
    public List<Figure> measure(Contender server, Compare.Context ctx) throws Exception {
        Args args = ctx.args();
        Credentials all = ctx.devices();
        int n = all.count();
        int half = n / 2;
        // Lazily built parts of the server (pools, compiled code, nchan's first channels) are not per connection.
        try (LoadGenerator warm = server.devices(args, ctx.protocol(), false)) {
            warm.open(Credentials.mint(ctx.secret(), 1_000_000, 200), 100, 60);
        }
        Thread.sleep(2000);
        Idle.Sampling sampling = Idle.Sampling.of(args);
        Point none = new Point(0, server, sampling);
        try (LoadGenerator gen = server.devices(args, ctx.protocol(), false)) {
            gen.open(all.range(all.from(), half), 500, 300);
            Point mid = new Point(gen.open(), server, sampling);
            gen.open(all.range(all.from() + half, n - half), 500, 300);
            Point end = new Point(gen.open(), server, sampling);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("open_at_measure", end.open);
            details.put("failures", gen.failures.get());
            double perConn;
            if (server.jvms().isEmpty()) {
                perConn = (double) (end.bytes - none.bytes) / end.open;
                details.put("memory_second_half_per_conn_B", (double) (end.bytes - mid.bytes) / (end.open - mid.open));
                details.put("method", "Pss anon+shmem of all processes, 0 to N");
            } else {
                double heap = (double) (end.live - none.live) / end.open;
                double nativeMem = (double) (end.bytes - mid.bytes) / (end.open - mid.open);
                perConn = heap + nativeMem;
                details.put("heap_live_per_conn_B", heap);
                details.put("rss_anon_second_half_per_conn_B", nativeMem);
                details.put("method", "live heap 0 to N + RssAnon N/2 to N");
            }
            return List.of(Figure.memory("idle memory per connection", perConn, details));
        }
    }

    /** The open connections and the server's memory at one point: live heap and RssAnon of a JVM, or its processes' memory. */
    private static final class Point {
        final int open;
        final long live;
        final long bytes;

        Point(int open, Contender server, Idle.Sampling sampling) throws Exception {
            this.open = open;
            if (server.jvms().isEmpty()) {
                Thread.sleep(sampling.settleMillis() / 3);
                long min = Long.MAX_VALUE;
                for (int s = 0; s < sampling.samples(); s++) {
                    if (s > 0) {
                        Thread.sleep(sampling.gapMillis());
                    }
                    min = Math.min(min, server.memoryBytes());
                }
                this.live = 0;
                this.bytes = min;
            } else {
                List<ServerProcess.Memory> m = sampling.memory(server.jvms());
                this.live = m.stream().mapToLong(ServerProcess.Memory::liveBytes).sum();
                this.bytes = m.stream().mapToLong(ServerProcess.Memory::rssBytes).sum();
            }
        }
    }
}
