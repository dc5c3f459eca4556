package io.frontier.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of a scenario; every value has a default. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + a);
            }
            values.put(a.substring(2), args[++i]);
        }
    }

    int integer(String name, int def) {
        String v = values.get(name);
        return v == null ? def : Integer.parseInt(v.replace("_", "").replace("k", "000"));
    }

    boolean flag(String name, boolean def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + ": " + v + " (expected: true or false)");
        }
        return Boolean.parseBoolean(v);
    }

    String string(String name, String def) {
        return values.getOrDefault(name, def);
    }

    List<Integer> integers(String name, String def) {
        List<Integer> out = new ArrayList<>();
        for (String s : string(name, def).split(",")) {
            out.add(Integer.parseInt(s.trim().replace("_", "").replace("k", "000")));
        }
        return out;
    }
}
