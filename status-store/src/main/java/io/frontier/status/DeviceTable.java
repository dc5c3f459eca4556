package io.frontier.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The entries of one user. Immutable, so that readers need no lock while writers swap in a changed copy;
 * copying is cheap because a user holds a handful of devices.
 */
final class DeviceTable {

    static final DeviceTable EMPTY = new DeviceTable(new TreeMap<>(DeviceKey.WITHIN_USER));

    private final SortedMap<DeviceKey, DeviceEntry> entries;

    private DeviceTable(SortedMap<DeviceKey, DeviceEntry> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /** Returns the entry under {@code key}, or null. */
    DeviceEntry get(DeviceKey key) {
        return entries.get(key);
    }

    /** Returns a table that holds {@code entry} in place of any entry under its key. */
    DeviceTable with(DeviceEntry entry) {
        TreeMap<DeviceKey, DeviceEntry> copy = new TreeMap<>(entries);
        copy.put(DeviceKey.of(entry), entry);
        return new DeviceTable(copy);
    }

    /** Returns a table without the entry under {@code key}, or null when nothing would be left. */
    DeviceTable without(DeviceKey key) {
        TreeMap<DeviceKey, DeviceEntry> copy = new TreeMap<>(entries);
        copy.remove(key);
        return copy.isEmpty() ? null : new DeviceTable(copy);
    }

    /** Returns the entries that match {@code filter}, TCP first, then by device id. */
    List<DeviceEntry> select(Predicate<DeviceEntry> filter) {
        List<DeviceEntry> selected = new ArrayList<>(entries.size());
        for (DeviceEntry entry : entries.values()) {
            if (filter.test(entry)) {
                selected.add(entry);
            }
        }
        return List.copyOf(selected);
    }
}
