package io.frontier.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bench/compare's output: per figure a Markdown table (one row per server: the median of its
 * runs, every run, Frontier ÷ server, CPU and what limited it, taken from the run whose value is
 * the median) and one {@code JSON {...}} line per server.
 */
final class ComparisonReport {
    private final String scenario;
    private final LoadGenerator.Protocol protocol;
    private final int runs;
    private final int devices;
    private final String load;
    private final Map<String, Map<String, List<Figure>>> byFigure;

    ComparisonReport(String scenario, LoadGenerator.Protocol protocol, int runs, int devices, String load,
            Map<String, Map<String, List<Figure>>> byFigure) {
        this.scenario = scenario;
        this.protocol = protocol;
        this.runs = runs;
        this.devices = devices;
        this.load = load;
        this.byFigure = byFigure;
    }

    void print() {
        String proto = protocol.name().toLowerCase(java.util.Locale.ROOT);
        System.out.println("\n## compare " + scenario + " over " + proto + ": " + devices + " devices, median of "
                + runs + " interleaved runs; load average when runs began: " + load);
        for (Map.Entry<String, Map<String, List<Figure>>> e : byFigure.entrySet()) {
            Figure frontier = e.getValue().containsKey("frontier") ? median(e.getValue().get("frontier")) : null;
            String unit = e.getValue().values().iterator().next().get(0).unit();
            System.out.println("\n" + e.getKey() + " (" + unit + ")\n");
            System.out.println("| server | median | runs | Frontier ÷ server | server CPU / op | server CPU | generator CPU"
                    + " | limited by |");
            System.out.println("|---|---:|---|---:|---:|---:|---:|---|");
            List<Result> json = new ArrayList<>();
            for (Map.Entry<String, List<Figure>> s : e.getValue().entrySet()) {
                Figure m = median(s.getValue());
                String all = s.getValue().stream().map(f -> number(f.value())).collect(Collectors.joining(" / "));
                double ratio = frontier == null ? Double.NaN : frontier.value() / m.value();
                System.out.println("| " + s.getKey() + " | " + number(m.value()) + " | " + all + " | "
                        + (Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format("%.2f", ratio)) + " | "
                        + (Double.isNaN(m.serverCpuUsPerOp()) ? "-" : String.format("%.1f µs", m.serverCpuUsPerOp()))
                        + " | " + percent(m.serverCpuPct()) + " | " + percent(m.generatorCpuPct()) + " | " + m.bound()
                        + " |");
                Result r = new Result().put("scenario", "compare-" + scenario).put("protocol", proto)
                        .put("figure", e.getKey()).put("unit", unit).put("server", s.getKey()).put("devices", devices)
                        .put("median", m.value()).put("runs", all).put("frontier_over_server", ratio)
                        .put("server_cpu_us_per_op", m.serverCpuUsPerOp()).put("server_cpu_pct", m.serverCpuPct())
                        .put("generator_cpu_pct", m.generatorCpuPct()).put("limited_by", m.bound())
                        .put("load_average", load);
                m.details().forEach(r::put);
                json.add(r);
            }
            System.out.println();
            json.forEach(r -> System.out.println("JSON " + r.json()));
        }
    }

    /** The run whose value is the median (the upper one of an even count). */
    static Figure median(List<Figure> runs) {
        List<Figure> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Figure::value));
        return sorted.get(sorted.size() / 2);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f%%", v);
    }
}
