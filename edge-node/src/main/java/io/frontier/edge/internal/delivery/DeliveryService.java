package io.frontier.edge.internal.delivery;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.PushResult;
import io.frontier.edge.internal.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;

/**
 * Writes pushes to this edge's connections and kicks them: the work behind the edge's
 * gRPC service, also called directly in standalone mode.
 */
public final class DeliveryService {
    /** The most connections one Deliver call may name. */
    public static final int MAX_CONNS_PER_CALL = 10_000;
    /** The longest ack wait a caller may ask for. */
    public static final int MAX_ACK_TIMEOUT_MS = 60_000;
    /** The largest push payload: the TCP frame's. */
    public static final int MAX_PAYLOAD_BYTES = 0xFFFF;

    // Bounds how long one broadcast task holds an event loop from its other channels.
    private static final int BROADCAST_BATCH = 1024;
    private static final int EVERY_CLIENT_TYPE = 1 << ClientType.CLIENT_TYPE_TCP_VALUE | 1 << ClientType.CLIENT_TYPE_WS_VALUE;

    private final String edgeId;
    private final SessionRegistry registry;

    public DeliveryService(String edgeId, SessionRegistry registry) {
        this.edgeId = edgeId;
        this.registry = registry;
    }

    /**
     * Pushes to every connection of {@code request} and completes with one outcome per
     * connection, in request order; never completes exceptionally.
     *
     * @throws IllegalArgumentException when the request breaks a limit
     */
    public CompletableFuture<DeliverReply> deliver(DeliverRequest request) {
        int count = request.getConnIdsCount();
        if (count == 0 || count > MAX_CONNS_PER_CALL) {
            throw new IllegalArgumentException("conn_ids: " + count + " ids (expected: 1.." + MAX_CONNS_PER_CALL + ")");
        }
        // ack_timeout_ms is a uint32: values over 2^31 arrive negative.
        long requestedAckMs = Integer.toUnsignedLong(request.getAckTimeoutMs());
        if (requestedAckMs > MAX_ACK_TIMEOUT_MS) {
            throw new IllegalArgumentException("ack_timeout_ms: " + requestedAckMs
                    + " (expected: at most " + MAX_ACK_TIMEOUT_MS + ")");
        }
        long ackTimeoutMs = request.getWaitAck() ? Math.max(1, requestedAckMs) : 0;
        ByteBuf payload = Unpooled.wrappedBuffer(request.getPayload().asReadOnlyByteBuffer());
        PushMessage message = new PushMessage(payload, request.getPayloadType(), request.getService(), request.getLogid());
        @SuppressWarnings("unchecked")
        CompletableFuture<DeviceOutcome>[] outcomes = new CompletableFuture[count];
        try {
            for (int i = 0; i < count; i++) {
                outcomes[i] = pushOne(request.getConnIds(i), message, ackTimeoutMs);
            }
        } finally {
            payload.release();
        }
        return CompletableFuture.allOf(outcomes).thenApply(ignored -> {
            DeliverReply.Builder reply = DeliverReply.newBuilder();
            for (CompletableFuture<DeviceOutcome> outcome : outcomes) {
                reply.addOutcomes(outcome.join());
            }
            return reply.build();
        });
    }

    /**
     * Writes the push to every connection of the request's client types (all when none),
     * without waiting for acks, and completes with the counts once every connection has
     * been tried; never completes exceptionally.
     *
     * @throws IllegalArgumentException when the request breaks a limit
     */
    public CompletableFuture<EdgeBroadcastReply> broadcast(EdgeBroadcastRequest request) {
        int size = request.getPayload().size();
        if (size == 0 || size > MAX_PAYLOAD_BYTES) {
            // Checked here because a broadcast's TCP writes have no future to fail.
            throw new IllegalArgumentException("payload: " + size + " bytes (expected: 1.." + MAX_PAYLOAD_BYTES + ")");
        }
        int clientTypes = clientTypeMask(request);
        ByteBuf payload = Unpooled.wrappedBuffer(request.getPayload().asReadOnlyByteBuffer());
        try {
            return Broadcast.start(registry, new PushMessage(payload, request.getPayloadType(), request.getService(),
                    request.getLogid()), clientTypes, BROADCAST_BATCH);
        } finally {
            payload.release();
        }
    }

    private static int clientTypeMask(EdgeBroadcastRequest request) {
        if (request.getClientTypesCount() == 0) {
            return EVERY_CLIENT_TYPE;
        }
        int mask = 0;
        for (ClientType type : request.getClientTypesList()) {
            if (type != ClientType.CLIENT_TYPE_TCP && type != ClientType.CLIENT_TYPE_WS) {
                throw new IllegalArgumentException("client_types: " + type + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
            }
            mask |= 1 << type.getNumber();
        }
        return mask;
    }

    private CompletableFuture<DeviceOutcome> pushOne(String connId, PushMessage message, long ackTimeoutMs) {
        DeviceSession session = registry.byConnId(connId);
        if (session == null) {
            return CompletableFuture.completedFuture(DeviceOutcome.newBuilder()
                    .setConnId(connId)
                    .setEdgeId(edgeId)
                    .setOutcome(DeviceOutcome.Outcome.OFFLINE)
                    .setReason("no such connection on edge " + edgeId)
                    .build());
        }
        return session.push(message, ackTimeoutMs).thenApply(result -> outcome(session, result));
    }

    private DeviceOutcome outcome(DeviceSession session, PushResult result) {
        return DeviceOutcome.newBuilder()
                .setUserId(session.userId())
                .setDeviceId(session.deviceId())
                .setClientType(session.clientType())
                .setConnId(session.connId())
                .setEdgeId(edgeId)
                .setOutcome(result.outcome())
                .setReason(result.reason())
                .build();
    }

    /**
     * Closes one connection with the request's Bye code.
     *
     * @throws IllegalArgumentException when the code is not a 4xx or 5xx of the protocol
     */
    public KickReply kick(KickRequest request) {
        int code = request.getCode();
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("code: " + code + " (expected: a Bye code of 400..599, such as 409 or 410)");
        }
        DeviceSession session = registry.byConnId(request.getConnId());
        if (session == null) {
            return KickReply.newBuilder().setFound(false).build();
        }
        session.close(code, request.getReason().isEmpty() ? "kicked" : request.getReason());
        return KickReply.newBuilder().setFound(true).build();
    }
}
