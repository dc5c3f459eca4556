package io.frontier.control.push;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.PushManyRequest;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.Ids;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a Push, PushMany or Broadcast request before any work; each failure names the field and what was expected. */
final class PushRequestValidator {
    private static final int MAX_ID_LENGTH = Ids.MAX_LENGTH;
    /** Users one PushMany names at most: a large group, and a reply that stays a few hundred KiB. */
    static final int MAX_USERS = 1_000;

    private final PushLimits limits;

    PushRequestValidator(PushLimits limits) {
        this.limits = limits;
    }

    /** @throws IllegalArgumentException describing the first field that is wrong */
    void validate(PushRequest request) {
        switch (request.getTargetCase()) {
            case USER -> {
                id("user.user_id", request.getUser().getUserId());
                clientTypes("user.client_types", request.getUser().getClientTypesList());
            }
            case DEVICE -> {
                id("device.user_id", request.getDevice().getUserId());
                id("device.device_id", request.getDevice().getDeviceId());
                clientTypes("device.client_types", request.getDevice().getClientTypesList());
            }
            case CONNECTION -> ConnIds.edgeAddress(request.getConnection().getConnId());
            default -> throw new IllegalArgumentException("target: none (expected: user, device or connection)");
        }
        payload(request.getPayload());
        ackTimeout(request.getAckTimeoutMs());
        payloadType(request.getPayloadType());
    }

    private void ackTimeout(int ackTimeout) {
        // ack_timeout_ms is a uint32: Java sees 2^31 and above as negative ints.
        long ackTimeoutMs = Integer.toUnsignedLong(ackTimeout);
        if (ackTimeoutMs > limits.maxAckTimeoutMs()) {
            throw new IllegalArgumentException("ack_timeout_ms: " + ackTimeoutMs
                    + " (expected: at most " + limits.maxAckTimeoutMs() + ")");
        }
    }

    /** @throws IllegalArgumentException describing the first field that is wrong */
    void validate(PushManyRequest request) {
        int count = request.getUsersCount();
        if (count == 0 || count > MAX_USERS) {
            throw new IllegalArgumentException("users: " + count + " (expected: 1.." + MAX_USERS + ")");
        }
        Set<String> seen = new HashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            UserTarget user = request.getUsers(i);
            id("users[" + i + "].user_id", user.getUserId());
            clientTypes("users[" + i + "].client_types", user.getClientTypesList());
            if (!seen.add(user.getUserId())) {
                throw new IllegalArgumentException("users[" + i + "].user_id: " + Ids.quoted(user.getUserId())
                        + " (expected: each user once)");
            }
        }
        payload(request.getPayload());
        ackTimeout(request.getAckTimeoutMs());
        payloadType(request.getPayloadType());
    }

    /** @throws IllegalArgumentException describing the first field that is wrong */
    void validate(BroadcastRequest request) {
        clientTypes("client_types", request.getClientTypesList());
        payload(request.getPayload());
        payloadType(request.getPayloadType());
    }

    private void payload(ByteString payload) {
        int size = payload.size();
        if (size == 0 || size > limits.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload: " + size + " bytes (expected: 1.." + limits.maxPayloadBytes() + ")");
        }
    }

    private static void payloadType(String payloadType) {
        if (payloadType.length() > 64) {
            throw new IllegalArgumentException("payload_type: " + payloadType.length() + " characters (expected: at most 64)");
        }
    }

    /** Returns the client types a filter names; empty means every type. */
    static Set<ClientType> clientTypeSet(List<ClientType> types) {
        return types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
    }

    private static void id(String field, String value) {
        // Blank too, because UserStatus rejects a blank id by throwing.
        if (!Ids.valid(value)) {
            throw new IllegalArgumentException(field + ": " + Ids.quoted(value)
                    + " (expected: 1.." + MAX_ID_LENGTH + " characters, not blank, no control characters)");
        }
    }

    private static void clientTypes(String field, List<ClientType> types) {
        for (ClientType type : types) {
            if (type != ClientType.CLIENT_TYPE_TCP && type != ClientType.CLIENT_TYPE_WS) {
                throw new IllegalArgumentException(field + ": " + type + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
            }
        }
    }
}
