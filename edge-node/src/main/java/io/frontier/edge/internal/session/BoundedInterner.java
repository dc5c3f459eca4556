package io.frontier.edge.internal.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one instance of each of a few distinct strings, such as app versions: thousands
 * of devices report the same handful, and a copy per connection would cost memory on
 * every idle one. Bounded, because devices choose the values: past the bound a value is
 * returned as it is.
 */
final class BoundedInterner {
    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
    private final int max;

    BoundedInterner(int max) {
        this.max = max;
    }

    String intern(String value) {
        String shared = values.get(value);
        if (shared != null) {
            return shared;
        }
        if (values.size() >= max) {
            return value;
        }
        shared = values.putIfAbsent(value, value);
        return shared != null ? shared : value;
    }
}
