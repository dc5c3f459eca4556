package io.frontier.acceptance;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** A scrape of a node's /metrics in Prometheus's text format, read as a map of series to values. */
final class Metrics {
    private final Map<String, Double> series;

    private Metrics(Map<String, Double> series) {
        this.series = series;
    }

    /** Scrapes {@code http://127.0.0.1:PORT/metrics}. */
    static Metrics scrape(int port) throws IOException, InterruptedException {
        String answer = Http.get(port, "/metrics");
        if (!answer.startsWith("200 ")) {
            throw new IllegalStateException("/metrics answered " + answer.lines().findFirst().orElse(""));
        }
        Map<String, Double> series = new HashMap<>();
        answer.substring(4).lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return new Metrics(series);
    }

    /**
     * Returns the value of a series, named as the text format writes it (labels in alphabetical order:
     * {@code name{a="1",b="2"}}); 0 when the scrape has no such series.
     */
    double value(String name) {
        return series.getOrDefault(name, 0.0);
    }

    /** Returns whether the scrape has a series of {@code name}, whatever its labels. */
    boolean has(String name) {
        return series.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }

    @Override
    public String toString() {
        return series.toString();
    }
}
