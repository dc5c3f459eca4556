package io.frontier.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/compare: one scenario against Frontier and the servers a team would pick instead, each
 * as processes of its own, interleaved (A, B, C, A, B, C, ...: what drifts on a shared machine
 * drifts over all of them alike), driven by this one generator; then per figure the median of
 * the runs, Frontier's ratio to each server, the server's CPU per operation and what limited it.
 * <pre>
 *   compare idle      [--protocol ws|tcp] [--connections 5000]
 *   compare connect   [--connections 5000] [--in-flight 50]
 *   compare broadcast [--devices 10000] [--rounds 5]
 *   compare unicast   [--protocol ws|tcp] [--devices 1000] [--rates 2000,5000,...] [--seconds 3]
 * </pre>
 * Common: {@code --runs 3}, {@code --servers a,b,..} (default: every one that fits the scenario
 * and protocol), and bench/run's {@code --threads}, {@code --sources}, {@code --jvm-opts}.
 */
final class Compare {
    /** Servers for WebSocket scenarios and for TCP ones (mosquitto speaks MQTT over TCP). */
    private static final List<String> WS_SERVERS = List.of("frontier", "baseline", "nchan", "node-ws");
    private static final List<String> TCP_SERVERS = List.of("frontier", "baseline", "mosquitto");

    private Compare() {
    }

    /** What a scenario measures against one server in one run. */
    interface Scenario {
        /** Whether the baseline must push (its HTTP port) for it. */
        boolean pushes();

        List<Figure> measure(Contender server, Context ctx) throws Exception;
    }

    /** What every run of a scenario shares: its options, its protocol, the devices' tokens. */
    record Context(Args args, LoadGenerator.Protocol protocol, String secret, Credentials devices) {
    }

    static void run(String name, Args args) throws Exception {
        Scenario scenario = switch (name) {
            case "idle" -> new CompareIdle();
            case "connect" -> new CompareConnect();
            case "broadcast" -> new CompareBroadcast();
            case "unicast" -> new CompareUnicast();
            default -> throw new IllegalArgumentException("scenario: " + name
                    + " (expected: idle, connect, broadcast or unicast)");
        };
        LoadGenerator.Protocol protocol = LoadGenerator.Protocol.parse(args.string("protocol", "ws"));
        if (protocol == LoadGenerator.Protocol.MIX || (protocol == LoadGenerator.Protocol.TCP
                && (name.equals("connect") || name.equals("broadcast")))) {
            throw new IllegalArgumentException("--protocol: " + protocol + " (expected: ws, or tcp for idle and unicast)");
        }
        List<String> servers = List.of(args.string("servers", String.join(",",
                protocol == LoadGenerator.Protocol.TCP ? TCP_SERVERS : WS_SERVERS)).split(","));
        int runs = args.integer("runs", 3);
        boolean pushing = name.equals("broadcast") || name.equals("unicast");
        int devices = args.integer(pushing ? "devices" : "connections",
                name.equals("broadcast") ? 10_000 : name.equals("unicast") ? 1000 : 5000);
        String secret = Main.secret();
        Main.log("minting " + devices + " tokens");
        Context ctx = new Context(args, protocol, secret, Credentials.mint(secret, 0, devices));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Main.log("compare " + name + " over " + protocol + ", " + runs + " runs of " + servers + "; load average " + load);
        Map<String, Map<String, List<Figure>>> byFigure = new LinkedHashMap<>();
        List<String> discarded = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (String server : servers) {
                Main.log("run " + run + "/" + runs + ": " + server);
                List<Figure> figures;
                try (Contender c = start(server, args, secret, scenario, name)) {
                    try {
                        figures = scenario.measure(c, ctx);
                    } catch (Exception e) {
                        if (c.alive()) {
                            throw e;
                        }
                        figures = List.of();
                    }
                    // A server that exited (or that something on this shared machine stopped) during the
                    // run measured nothing of itself: the run is left out of the medians, and said so.
                    if (!c.alive()) {
                        Main.log("run " + run + " of " + server + " left out: its process exited during the run");
                        discarded.add(server + " run " + run);
                        continue;
                    }
                }
                for (Figure f : figures) {
                    Main.log("  " + f.name() + " = " + format(f.value()) + " " + f.unit() + "  (server CPU "
                            + format(f.serverCpuPct()) + "%, generator " + format(f.generatorCpuPct()) + "%)");
                    byFigure.computeIfAbsent(f.name(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(server, k -> new ArrayList<>()).add(f);
                }
            }
        }
        new ComparisonReport(name, protocol, runs, devices, load, byFigure).print();
        if (!discarded.isEmpty()) {
            System.out.println("\nLeft out (the server's process exited during the run): " + String.join(", ", discarded));
        }
    }

    private static Contender start(String server, Args args, String secret, Scenario scenario, String name)
            throws Exception {
        // As bench/run's idle: two glibc arenas keep the JVMs' native memory from varying by run.
        Map<String, String> env = name.equals("idle") ? Map.of("MALLOC_ARENA_MAX", "2") : Map.of();
        return switch (server) {
            case "frontier" -> new FrontierContender(args, secret, env);
            case "baseline" -> new BaselineContender(args, env, scenario.pushes());
            case "nchan" -> new NchanContender(ServerProcess.freePort());
            case "node-ws" -> new NodeWsContender(ServerProcess.freePort());
            case "mosquitto" -> new MosquittoContender(ServerProcess.freePort());
            default -> throw new IllegalArgumentException("--servers: " + server
                    + " (expected: frontier, baseline, nchan, node-ws, mosquitto)");
        };
    }

    static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }
}
