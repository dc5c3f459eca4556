package io.frontier.bench;

import java.util.Map;

/**
 * One figure of one run against one server: its value, and beside it the server's CPU per
 * operation and the CPU that the server and the generator used while it was measured (percent of
 * one core; NaN where the figure has no operations, as idle memory). {@code bound} is what limited
 * it when neither was busy ("offered rate" for an open loop); {@code details} go to the JSON line.
 */
record Figure(String name, String unit, double value, double serverCpuUsPerOp, double serverCpuPct,
        double generatorCpuPct, String bound, Map<String, Object> details) {

    /** A figure with no CPU beside it (memory). */
    static Figure memory(String name, double value, Map<String, Object> details) {
        return new Figure(name, "B", value, Double.NaN, Double.NaN, Double.NaN, "-", details);
    }

    /** CPU over an interval: the server's and the generator's ms of CPU in {@code wallMillis}, and the operations done. */
    record Cpu(long serverMillis, long generatorMillis, double wallMillis, long operations) {
        double serverPct() {
            return 100.0 * serverMillis / wallMillis;
        }

        double generatorPct() {
            return 100.0 * generatorMillis / wallMillis;
        }

        double serverUsPerOp() {
            return operations == 0 ? Double.NaN : serverMillis * 1000.0 / operations;
        }

        Cpu plus(Cpu o) {
            return new Cpu(serverMillis + o.serverMillis, generatorMillis + o.generatorMillis, wallMillis + o.wallMillis,
                    operations + o.operations);
        }

        static final Cpu NONE = new Cpu(0, 0, 0, 0);
    }

    /**
     * A figure measured over {@code cpu} against a server that can use {@code serverCores} cores; what
     * limited it is the server at 90% of those cores, the generator at 90% of one core, both together
     * at 90% of the machine's cores (they share them), else {@code otherwise}.
     */
    static Figure of(String name, String unit, double value, Cpu cpu, int serverCores, String otherwise,
            Map<String, Object> details) {
        double s = cpu.serverPct();
        double g = cpu.generatorPct();
        boolean server = s >= 90.0 * serverCores;
        boolean generator = g >= 90.0;
        String bound = server && generator ? "server and generator" : server ? "server" : generator ? "generator"
                : s + g >= 90.0 * Runtime.getRuntime().availableProcessors() ? "the machine (server + generator)"
                : otherwise;
        return new Figure(name, unit, value, cpu.serverUsPerOp(), s, g, bound, details);
    }

    /** Marks the start of a CPU interval for {@code server} and this generator. */
    static final class CpuMeter {
        private final Contender server;
        private final long server0;
        private final long generator0;
        private final long start = System.nanoTime();

        CpuMeter(Contender server) throws Exception {
            this.server = server;
            this.server0 = server.cpuMillis();
            this.generator0 = Unicast.selfCpuMillis();
        }

        Cpu stop(long operations) throws Exception {
            return new Cpu(server.cpuMillis() - server0, Unicast.selfCpuMillis() - generator0,
                    (System.nanoTime() - start) / 1e6, operations);
        }
    }
}
