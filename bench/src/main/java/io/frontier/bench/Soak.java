package io.frontier.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * soak: steady pushes to every device while a share of devices stop reading (their
 * sockets stay open) and others disconnect and come back at a steady rate, for a long
 * time; reports the gateway's memory drift, its longest GC pause and what was not
 * delivered, by reason.
 */
final class Soak {
    private static final Pattern PAUSE = Pattern.compile("Pause.*?([0-9]+\\.[0-9]+)ms");

    private Soak() {
    }

    static void run(Args args) throws Exception {
        int devices = args.integer("devices", 10_000);
        int minutes = args.integer("minutes", 30);
        int rate = args.integer("rate", 2000);
        int stopPct = args.integer("stop-reading-pct", 10);
        int churnPerSecond = args.integer("churn-per-s", 20);
        Path gcLog = Files.createTempFile("frontier-bench-gc-", ".log");
        String jvmOpts = Main.jvmOpts(args) + " -Xlog:gc:file=" + gcLog;
        String secret = Main.secret();
        Credentials credentials = Credentials.mint(secret, 0, devices);
        ExecutorService pushing = Executors.newSingleThreadExecutor();
        try (Gateway server = Gateway.start(args, jvmOpts, secret);
             LoadGenerator gen = Main.generator(args, server.targets(Main.protocol(args)), true);
             Pusher pusher = new Pusher(server.pushPort(), devices, args.integer("max-in-flight", 50_000))) {
            Main.openAll(gen, credentials, 500);
            gen.reconnect(true, 1000, 30_000);
            Main.log("warming up for 60 s at " + rate + "/s");
            pusher.run(rate, Duration.ofSeconds(60));
            List<ServerProcess> edges = server.edges();
            ServerProcess.Memory start = edges.get(0).memory();
            long gcLinesAtStart = Files.readAllLines(gcLog).size();
            int stopped = gen.stopReading(devices * stopPct / 100);
            Main.log("start: " + start + "; " + stopped + " devices stopped reading");
            long pushesBefore = gen.pushes.get();
            long reconnectsBefore = gen.reconnects.get();
            Future<Pusher.Run> run = pushing.submit(() -> pusher.run(rate, Duration.ofMinutes(minutes)));
            long churned = 0;
            long rssMax = start.rssBytes();
            long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
            long nextReport = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                churned += gen.churn(churnPerSecond, devices);
                rssMax = Math.max(rssMax, edges.get(0).rssKb() * 1024);
                if (System.nanoTime() > nextReport) {
                    nextReport += Duration.ofMinutes(1).toNanos();
                    Main.log("online " + gen.online.get() + ", rss " + edges.get(0).rssKb() / 1024 + " MiB, pushes "
                            + (gen.pushes.get() - pushesBefore) + ", churned " + churned);
                }
            }
            Pusher.Run r = run.get();
            ServerProcess.Memory last = edges.get(0).memory();
            List<String> gc = Files.readAllLines(gcLog);
            double maxPause = 0;
            long pauses = 0;
            for (String line : gc.subList((int) Math.min(gcLinesAtStart, gc.size()), gc.size())) {
                Matcher m = PAUSE.matcher(line);
                // the full GCs asked for by the memory measurements are not the gateway's own
                if (m.find() && !line.contains("System.gc()")) {
                    pauses++;
                    maxPause = Math.max(maxPause, Double.parseDouble(m.group(1)));
                }
            }
            new Result().put("scenario", "soak").put("mode", server.mode())
                    .put("protocol", Main.protocol(args).name().toLowerCase())
                    .put("devices", devices).put("minutes", minutes).put("push_rate", rate)
                    .put("stopped_reading", stopped).put("churned", churned)
                    .put("reconnects", gen.reconnects.get() - reconnectsBefore)
                    .put("sent", r.sent).put("delivered_outcomes", r.delivered.get())
                    .put("arrived", gen.pushes.get() - pushesBefore).put("not_delivered", r.other())
                    .put("heap_after_gc_start_MiB", start.heapUsedBytes() / 1048576.0)
                    .put("heap_after_gc_end_MiB", last.heapUsedBytes() / 1048576.0)
                    .put("heap_growth_pct", 100.0 * (last.heapUsedBytes() - start.heapUsedBytes()) / start.heapUsedBytes())
                    .put("rss_start_MiB", start.rssBytes() / 1048576.0)
                    .put("rss_end_MiB", last.rssBytes() / 1048576.0)
                    .put("rss_max_MiB", rssMax / 1048576.0)
                    .put("rss_growth_pct", 100.0 * (last.rssBytes() - start.rssBytes()) / start.rssBytes())
                    .put("gc_pauses", pauses).put("max_gc_pause_ms", maxPause)
                    .print();
            Main.log("not delivered, by reason: " + r.otherByReason());
        } finally {
            pushing.shutdownNow();
            Files.deleteIfExists(gcLog);
        }
    }
}
