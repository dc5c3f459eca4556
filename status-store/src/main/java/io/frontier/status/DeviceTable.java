package io.frontier.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The entries of one user. Immutable, so that readers need no lock while writers swap in a changed copy;
 * copying is cheap because a user holds a handful of devices. A plain array in {@link DeviceKey#WITHIN_USER}
 * order: a standalone gateway keeps one table per online user, and a tree map per user would cost several
 * times the entries it holds.
 */
final class DeviceTable {

    static final DeviceTable EMPTY = new DeviceTable(new DeviceEntry[0]);

    private final DeviceEntry[] entries;

    private DeviceTable(DeviceEntry[] entries) {
        this.entries = entries;
    }

    /** Returns the entry under {@code key}, or null. */
    DeviceEntry get(DeviceKey key) {
        int i = indexOf(key);
        return i >= 0 ? entries[i] : null;
    }

    /** Returns a table that holds {@code entry} in place of any entry under its key. */
    DeviceTable with(DeviceEntry entry) {
        int i = indexOf(DeviceKey.of(entry));
        if (i >= 0) {
            DeviceEntry[] copy = entries.clone();
            copy[i] = entry;
            return new DeviceTable(copy);
        }
        int at = -i - 1;
        DeviceEntry[] copy = new DeviceEntry[entries.length + 1];
        System.arraycopy(entries, 0, copy, 0, at);
        copy[at] = entry;
        System.arraycopy(entries, at, copy, at + 1, entries.length - at);
        return new DeviceTable(copy);
    }

    /** Returns a table without the entry under {@code key}, or null when nothing would be left. */
    DeviceTable without(DeviceKey key) {
        int i = indexOf(key);
        if (i < 0) {
            return this;
        }
        if (entries.length == 1) {
            return null;
        }
        DeviceEntry[] copy = new DeviceEntry[entries.length - 1];
        System.arraycopy(entries, 0, copy, 0, i);
        System.arraycopy(entries, i + 1, copy, i, entries.length - i - 1);
        return new DeviceTable(copy);
    }

    /** Returns the entries that match {@code filter}, TCP first, then by device id. */
    List<DeviceEntry> select(Predicate<DeviceEntry> filter) {
        List<DeviceEntry> selected = new ArrayList<>(entries.length);
        for (DeviceEntry entry : entries) {
            if (filter.test(entry)) {
                selected.add(entry);
            }
        }
        return List.copyOf(selected);
    }

    /** As {@link Arrays#binarySearch}: the index of {@code key}, or {@code -(insertion point) - 1}. */
    private int indexOf(DeviceKey key) {
        int low = 0;
        int high = entries.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(entries[mid], key);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private static int compare(DeviceEntry entry, DeviceKey key) {
        int c = Integer.compare(entry.clientType().getNumber(), key.clientType().getNumber());
        return c != 0 ? c : entry.deviceId().compareTo(key.deviceId());
    }
}
