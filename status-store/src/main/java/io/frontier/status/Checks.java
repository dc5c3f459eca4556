package io.frontier.status;

import io.frontier.api.v1.ClientType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Argument checks whose messages read {@code name: value (expected: ...)}; the query checks are
 * public for the UserStatus implementations outside this module (standalone's).
 */
public final class Checks {

    private static final Set<ClientType> KNOWN = EnumSet.of(ClientType.CLIENT_TYPE_TCP, ClientType.CLIENT_TYPE_WS);

    private Checks() {
    }

    /** Returns {@code value} when it is neither null nor blank. */
    public static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, () -> name + ": null (expected: non-blank)");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: non-blank)");
        }
        return value;
    }

    /** Returns {@code value} when it is not null; an empty string is allowed. */
    static String nonNull(String value, String name) {
        return Objects.requireNonNull(value, () -> name + ": null (expected: non-null)");
    }

    /** Returns {@code value} when it is TCP or WS, the only kinds of device a connection can have. */
    static ClientType knownClientType(ClientType value, String name) {
        if (!KNOWN.contains(Objects.requireNonNull(value, () -> name + ": null (expected: " + expectedTypes() + ")"))) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expectedTypes() + ")");
        }
        return value;
    }

    /** Returns the key of ({@code userId}, {@code clientType}, {@code deviceId}) after checking each. */
    static DeviceKey deviceKey(String userId, ClientType clientType, String deviceId) {
        return new DeviceKey(nonBlank(userId, "userId"), knownClientType(clientType, "clientType"),
                nonBlank(deviceId, "deviceId"));
    }

    /**
     * Returns the client types a query selects: both kinds for an empty set, else a copy of {@code values}
     * after checking that each is TCP or WS.
     */
    public static Set<ClientType> clientTypeFilter(Collection<ClientType> values, String name) {
        Objects.requireNonNull(values, () -> name + ": null (expected: a set, empty for both)");
        if (values.isEmpty()) {
            return KNOWN;
        }
        EnumSet<ClientType> filter = EnumSet.noneOf(ClientType.class);
        for (ClientType value : values) {
            filter.add(knownClientType(value, name + " element"));
        }
        return filter;
    }

    /**
     * Returns the entries of {@code snapshot} oldest first (see {@link ConnectionOrder#OLDEST_FIRST}), after
     * checking that each names {@code edgeId} and {@code edgeInstance}.
     */
    static List<DeviceEntry> sortedSnapshot(Collection<DeviceEntry> snapshot, String edgeId, String edgeInstance) {
        Objects.requireNonNull(snapshot, "snapshot: null (expected: a collection)");
        List<DeviceEntry> sorted = new ArrayList<>(snapshot.size());
        for (DeviceEntry entry : snapshot) {
            Objects.requireNonNull(entry, "snapshot element: null (expected: non-null)");
            if (!entry.edgeId().equals(edgeId) || !entry.edgeInstance().equals(edgeInstance)) {
                throw new IllegalArgumentException("snapshot element: " + entry
                        + " (expected: edgeId " + edgeId + " and edgeInstance " + edgeInstance + ")");
            }
            sorted.add(entry);
        }
        // Oldest first, so that two connections of one device in the same snapshot come out as REPLACED
        // with the older one as `other`, the one the caller must close.
        sorted.sort(ConnectionOrder.OLDEST_FIRST);
        return sorted;
    }

    private static String expectedTypes() {
        return ClientType.CLIENT_TYPE_TCP + " or " + ClientType.CLIENT_TYPE_WS;
    }
}
