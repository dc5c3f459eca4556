package io.frontier.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A scenario's result: printed as one JSON object and one Markdown table row. */
final class Result {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    Result put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    String json() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\": ").append(value(e.getValue()));
        }
        return sb.append('}').toString();
    }

    String markdownHeader() {
        StringBuilder head = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String k : fields.keySet()) {
            head.append(' ').append(k).append(" |");
            rule.append("---|");
        }
        return head + "\n" + rule;
    }

    String markdownRow() {
        StringBuilder row = new StringBuilder("|");
        for (Object v : fields.values()) {
            row.append(' ').append(v instanceof Double d ? String.format("%.1f", d) : String.valueOf(v)).append(" |");
        }
        return row.toString();
    }

    void print() {
        System.out.println("JSON " + json());
        System.out.println(markdownHeader());
        System.out.println(markdownRow());
    }

    private static String value(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return "null";
        }
        if (v instanceof Number n) {
            return v instanceof Double d ? String.format("%.2f", d) : n.toString();
        }
        return '"' + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
