package io.frontier.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * storm: an edge restarted under full load (SIGKILL by default, as a crash would), and
 * the time from the kill until every device is back online. Devices reconnect after a
 * random delay of up to {@code --reconnect-spread-ms}, doubling per failed attempt up to
 * {@code --reconnect-max-ms} (30 s), as well-behaved devices in the field do; they come
 * back to the same edge.
 */
final class Storm {
    private Storm() {
    }

    static void run(Args args) throws Exception {
        int devices = args.integer("devices", 10_000);
        boolean kill = Boolean.parseBoolean(args.string("kill", "true"));
        int spread = args.integer("reconnect-spread-ms", 2000);
        int max = args.integer("reconnect-max-ms", 30_000);
        String secret = Main.secret();
        Credentials credentials = Credentials.mint(secret, 0, devices);
        try (Gateway server = Gateway.start(args, Main.jvmOpts(args), secret);
             LoadGenerator gen = Main.generator(args, server.targets(Main.protocol(args)), true)) {
            Main.openAll(gen, credentials, 500);
            gen.reconnect(true, spread, max);
            int onEdge = (devices + server.edges().size() - 1) / server.edges().size();
            long t0 = System.nanoTime();
            CompletableFuture<Long> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    server.restartEdge(0, kill);
                    return System.nanoTime();
                } catch (Exception e) {
                    throw new IllegalStateException("the edge did not come back", e);
                }
            });
            int lowest = gen.online.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.integer("timeout-seconds", 180));
            while ((gen.online.get() < devices || !listening.isDone()) && System.nanoTime() < deadline) {
                lowest = Math.min(lowest, gen.online.get());
                Thread.sleep(10);
            }
            long back = System.nanoTime();
            int online = gen.online.get();
            new Result().put("scenario", "storm").put("mode", server.mode()).put("edges", server.edges().size())
                    .put("protocol", Main.protocol(args).name().toLowerCase())
                    .put("devices", devices).put("devices_on_restarted_edge", onEdge)
                    .put("restart", kill ? "SIGKILL" : "SIGTERM")
                    .put("reconnect_spread_ms", spread).put("reconnect_max_ms", max)
                    .put("lowest_online", lowest)
                    .put("online_at_end", online)
                    .put("edge_listening_again_s", (listening.join() - t0) / 1e9)
                    .put("all_back_online_s", online == devices ? (back - t0) / 1e9 : -1.0)
                    .put("reconnect_attempts", gen.reconnects.get())
                    .put("byes_received", gen.byes.get())
                    .print();
        }
    }
}
