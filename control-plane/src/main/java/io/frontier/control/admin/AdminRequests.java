package io.frontier.control.admin;

import io.frontier.api.v1.ClientType;
import io.frontier.protocol.Ids;

/** Checks Admin API requests; every failure is an {@link IllegalArgumentException} naming the field. */
final class AdminRequests {
    /** The longest id (user, device, edge) a request may name. */
    static final int MAX_ID_LENGTH = Ids.MAX_LENGTH;
    /** The largest page of connections. */
    static final int MAX_PAGE_SIZE = 1000;
    /** The longest drain window: one hour. */
    static final long MAX_DRAIN_WINDOW_MS = 3_600_000;
    /** The longest kick reason sent to devices. */
    static final int MAX_REASON_LENGTH = 256;

    private AdminRequests() {
    }

    static String id(String field, String value) {
        if (!Ids.valid(value)) {
            throw new IllegalArgumentException(field + ": " + Ids.quoted(value) + " (expected: 1.." + MAX_ID_LENGTH
                    + " characters, not blank, no control characters)");
        }
        return value;
    }

    static void optionalId(String field, String value) {
        if (!value.isEmpty()) {
            id(field, value);
        }
    }

    static void clientType(String field, ClientType type) {
        if (type == ClientType.UNRECOGNIZED) {
            throw new IllegalArgumentException(field + ": unrecognized (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
        }
    }

    static void pageSize(int pageSize) {
        long size = Integer.toUnsignedLong(pageSize);
        if (size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page_size: " + size + " (expected: 1.." + MAX_PAGE_SIZE + ", or 0 for 100)");
        }
    }

    static void drainWindow(int windowMs) {
        long window = Integer.toUnsignedLong(windowMs);
        if (window > MAX_DRAIN_WINDOW_MS) {
            throw new IllegalArgumentException("window_ms: " + window + " (expected: 0.." + MAX_DRAIN_WINDOW_MS + ")");
        }
    }

    static void reason(String reason) {
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason: " + reason.length() + " characters (expected: at most "
                    + MAX_REASON_LENGTH + ")");
        }
    }

    static int service(int service) {
        if (service <= 0) {
            throw new IllegalArgumentException("service: " + service + " (expected: a service id above 0)");
        }
        return service;
    }

    static String target(String target) {
        if (target.isBlank()) {
            throw new IllegalArgumentException("target: \"" + target
                    + "\" (expected: HOST:PORT or HOST:PORT,timeout=DURATION such as localhost:7100,timeout=2s)");
        }
        return target.strip();
    }
}
