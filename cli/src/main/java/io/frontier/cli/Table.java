package io.frontier.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned columns under a header, two spaces apart. An empty field prints as {@code -}
 * so that every line splits into the same columns.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... fields) {
        String[] row = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            row[i] = fields[i] == null || fields[i].isEmpty() ? "-" : fields[i];
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]).append(" ".repeat(widths[i] - row[i].length())).append("  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Returns an instant as {@code 2024-05-01T10:00:00Z}, or empty for 0 (unknown). */
    static String time(long epochMs) {
        return epochMs <= 0 ? "" : Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Returns how long ago {@code epochMs} was, as {@code 3s}, {@code 5m}, {@code 2h}, {@code 4d}; empty for 0. */
    static String ago(long epochMs, long nowMs) {
        return epochMs <= 0 ? "" : span(Duration.ofMillis(Math.max(0, nowMs - epochMs))) + " ago";
    }

    /** Returns a duration in its largest whole unit: {@code 45s}, {@code 12m}, {@code 3h}, {@code 2d}. */
    static String span(Duration duration) {
        long s = duration.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
