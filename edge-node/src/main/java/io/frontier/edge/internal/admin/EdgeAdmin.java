package io.frontier.edge.internal.admin;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeCounts;
import io.frontier.api.v1.EdgeStatsReply;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.StatusCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What an administrator asks of one edge: its connections page by page, its counts,
 * and draining. Thread-safe.
 */
public final class EdgeAdmin {
    /** The page size when a request gives none. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** The largest page a request may ask for. */
    public static final int MAX_PAGE_SIZE = 1000;
    /** The longest drain window a request may ask for: one hour. */
    public static final long MAX_DRAIN_WINDOW_MS = 3_600_000;

    private static final String DRAIN_REASON = "edge is draining: reconnect to another edge";

    private final String edgeId;
    private final SessionRegistry registry;
    private final Supplier<SessionContext> context;
    // Guarded by this: the closes a drain scheduled, cancelled by an undrain.
    private final List<ScheduledFuture<?>> scheduledCloses = new ArrayList<>();

    /**
     * Creates the admin view of an edge whose context (and so its draining flag) is
     * supplied once the listeners are bound.
     */
    public EdgeAdmin(String edgeId, SessionRegistry registry, Supplier<SessionContext> context) {
        this.edgeId = edgeId;
        this.registry = registry;
        this.context = context;
    }

    /**
     * Returns one page of the connections that pass the request's filter, ordered by
     * connection id, and the edge's counts.
     *
     * @throws IllegalArgumentException when the page size is over {@link #MAX_PAGE_SIZE}
     */
    public ListConnectionsReply listConnections(ListConnectionsRequest request) {
        int pageSize = pageSize(request.getPageSize());
        String after = request.getPageToken();
        ClientType type = request.getClientType();
        // Keeps only the pageSize + 1 smallest ids past the token: one more than the page tells there is a next one.
        // This edge's ids sort as their text does: 16 hex digits of the id, then the edge's own suffix.
        TreeSet<DeviceSession> page = new TreeSet<>((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        ConnIds ids = context.get().connIds();
        boolean ownToken = ids.isOwn(after);
        long afterId = ownToken ? ids.idOf(after) : 0;
        Consumer<DeviceSession> consider = session -> {
            boolean past = ownToken ? Long.compareUnsigned(session.id(), afterId) > 0 : session.connId().compareTo(after) > 0;
            if (!past || (type != ClientType.CLIENT_TYPE_UNSPECIFIED && session.clientType() != type)) {
                return;
            }
            page.add(session);
            if (page.size() > pageSize + 1) {
                page.pollLast();
            }
        };
        if (request.getUserId().isEmpty()) {
            registry.forEach(consider);
        } else {
            registry.byUser(request.getUserId()).forEach(consider);
        }
        ListConnectionsReply.Builder reply = ListConnectionsReply.newBuilder().setCounts(counts());
        for (DeviceSession session : page) {
            if (reply.getConnectionsCount() == pageSize) {
                reply.setNextPageToken(reply.getConnections(pageSize - 1).getConnId());
                break;
            }
            reply.addConnections(session.info(edgeId));
        }
        return reply.build();
    }

    private static int pageSize(int requested) {
        // page_size is a uint32: values over 2^31 arrive negative.
        long size = Integer.toUnsignedLong(requested);
        if (size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page_size: " + size + " (expected: 1.." + MAX_PAGE_SIZE
                    + ", or 0 for " + DEFAULT_PAGE_SIZE + ")");
        }
        return size == 0 ? DEFAULT_PAGE_SIZE : (int) size;
    }

    /** Returns the edge's counts of authenticated connections. */
    public EdgeCounts counts() {
        int[] byType = new int[3];
        registry.forEach(session -> {
            int n = session.clientType().getNumber();
            if (n >= 0 && n < byType.length) {
                byType[n]++;
            }
        });
        return EdgeCounts.newBuilder()
                .setTcp(byType[ClientType.CLIENT_TYPE_TCP_VALUE])
                .setWs(byType[ClientType.CLIENT_TYPE_WS_VALUE])
                .setTotal(byType[ClientType.CLIENT_TYPE_TCP_VALUE] + byType[ClientType.CLIENT_TYPE_WS_VALUE])
                .build();
    }

    /** Returns the counts and whether the edge is draining. */
    public EdgeStatsReply stats() {
        return EdgeStatsReply.newBuilder().setCounts(counts()).setDraining(draining()).build();
    }

    public boolean draining() {
        SessionContext ctx = context.get();
        return ctx != null && ctx.draining();
    }

    /**
     * Stops accepting devices and closes every connection with Bye 503 at a random
     * moment within the window, on the connection's own event loop, so that devices
     * come back to other edges gradually rather than all at once.
     *
     * @throws IllegalArgumentException when the window is over {@link #MAX_DRAIN_WINDOW_MS}
     */
    public DrainEdgeReply drain(DrainEdgeRequest request) {
        long windowMs = Integer.toUnsignedLong(request.getWindowMs());
        if (windowMs > MAX_DRAIN_WINDOW_MS) {
            throw new IllegalArgumentException("window_ms: " + windowMs + " (expected: 0.." + MAX_DRAIN_WINDOW_MS + ")");
        }
        SessionContext ctx = context.get();
        if (ctx == null) {
            throw new IllegalStateException("edge " + edgeId + " is still starting");
        }
        ctx.draining(true);
        int[] closing = {0};
        synchronized (this) {
            registry.forEach(session -> {
                long delayMs = windowMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(windowMs + 1);
                try {
                    scheduledCloses.add(session.channel().eventLoop().schedule(
                            () -> session.close(StatusCode.DRAINING, DRAIN_REASON), delayMs, TimeUnit.MILLISECONDS));
                    closing[0]++;
                } catch (RejectedExecutionException e) {
                    // The edge is stopping: its own close sends the 503s.
                }
            });
            scheduledCloses.removeIf(ScheduledFuture::isDone);
        }
        return DrainEdgeReply.newBuilder().setClosing(closing[0]).build();
    }

    /** Accepts devices again and cancels the drain's closes that have not happened yet. */
    public UndrainEdgeReply undrain() {
        SessionContext ctx = context.get();
        boolean was = ctx != null && ctx.draining();
        if (ctx != null) {
            ctx.draining(false);
        }
        synchronized (this) {
            scheduledCloses.forEach(close -> close.cancel(false));
            scheduledCloses.clear();
        }
        return UndrainEdgeReply.newBuilder().setWasDraining(was).build();
    }
}
