package io.frontier.control.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionTarget;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every request the Push API must refuse with INVALID_ARGUMENT, before touching the store or an edge. */
class PushRequestValidationTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("hello");
    private static final PushLimits LIMITS = PushLimits.DEFAULTS;

    private final FakeEdgeGateway edges = new FakeEdgeGateway();
    private InMemoryUserStatus status;
    private InProcessPush push;

    @BeforeEach
    void start() {
        status = new InMemoryUserStatus();
        push = new InProcessPush(status, edges, LIMITS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        push.close();
        status.close();
    }

    @Test
    void push_withoutTarget_isInvalidArgumentNamingTarget() {
        assertInvalid(PushRequest.newBuilder().setPayload(PAYLOAD).build(), "target");
    }

    @Test
    void push_toEmptyUserId_isInvalidArgumentNamingUserId() {
        assertInvalid(toUser(""), "user.user_id");
    }

    @Test
    void push_toUserIdOver128Characters_isInvalidArgumentNamingUserId() {
        assertInvalid(toUser("u".repeat(129)), "user.user_id");
    }

    @Test
    void push_toUserIdWithANewline_isInvalidArgument_quotingItShortAndEscaped() {
        assertInvalid(toUser("ali\nce"), "user.user_id");
        assertThatThrownBy(() -> push.stub().push(toUser("ali\nce")))
                .hasMessageContaining("user.user_id: \"ali\\u000ace\" (expected: 1..128 characters, not blank, "
                        + "no control characters)");
    }

    @Test
    void push_toConnIdOf8200Characters_isInvalidArgument_quotingOnly32() {
        PushRequest request = PushRequest.newBuilder()
                .setConnection(ConnectionTarget.newBuilder().setConnId("c".repeat(8200))).setPayload(PAYLOAD).build();
        assertThatThrownBy(() -> push.stub().push(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).hasSizeLessThan(200);
                });
    }

    @Test
    void push_toUserIdOf128Characters_isAccepted() {
        PushReply reply = push.stub().push(toUser("u".repeat(128)));

        assertThat(reply.getOutcomesList()).isEmpty();
    }

    @Test
    void push_toBlankUserId_isInvalidArgumentNamingUserId() {
        // UserStatus rejects a blank id by throwing; the validator must catch it first.
        assertInvalid(toUser("   "), "user.user_id");
    }

    @Test
    void push_toDeviceWithoutDeviceId_isInvalidArgumentNamingDeviceId() {
        PushRequest request = PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId("alice"))
                .setPayload(PAYLOAD)
                .build();

        assertInvalid(request, "device.device_id");
    }

    @Test
    void push_toDeviceWithoutUserId_isInvalidArgumentNamingUserId() {
        PushRequest request = PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setDeviceId("phone"))
                .setPayload(PAYLOAD)
                .build();

        assertInvalid(request, "device.user_id");
    }

    @Test
    void push_toUserWithUnspecifiedClientType_isInvalidArgumentNamingClientTypes() {
        PushRequest request = PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice")
                        .addClientTypes(ClientType.CLIENT_TYPE_TCP)
                        .addClientTypes(ClientType.CLIENT_TYPE_UNSPECIFIED))
                .setPayload(PAYLOAD)
                .build();

        assertInvalid(request, "user.client_types");
    }

    @Test
    void push_toDeviceWithUnspecifiedClientType_isInvalidArgumentNamingClientTypes() {
        PushRequest request = PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone")
                        .addClientTypes(ClientType.CLIENT_TYPE_UNSPECIFIED))
                .setPayload(PAYLOAD)
                .build();

        assertInvalid(request, "device.client_types");
    }

    @Test
    void push_withEmptyPayload_isInvalidArgumentNamingPayload() {
        assertInvalid(toUser("alice").toBuilder().setPayload(ByteString.EMPTY).build(), "payload");
    }

    @Test
    void push_withPayloadOverLimit_isInvalidArgumentNamingPayload() {
        ByteString tooLarge = ByteString.copyFrom(new byte[LIMITS.maxPayloadBytes() + 1]);

        assertInvalid(toUser("alice").toBuilder().setPayload(tooLarge).build(), "payload");
    }

    @Test
    void push_withPayloadAtLimit_isAccepted() {
        ByteString atLimit = ByteString.copyFrom(new byte[LIMITS.maxPayloadBytes()]);

        PushReply reply = push.stub().push(toUser("alice").toBuilder().setPayload(atLimit).build());

        assertThat(reply.getOutcomesList()).isEmpty();
    }

    @Test
    void push_withAckTimeoutOverMax_isInvalidArgumentNamingAckTimeout() {
        PushRequest request = toUser("alice").toBuilder()
                .setWaitAck(true)
                .setAckTimeoutMs(LIMITS.maxAckTimeoutMs() + 1)
                .build();

        assertInvalid(request, "ack_timeout_ms");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1})
    void push_withAckTimeoutBeyondSignedRange_isInvalidArgumentNamingAckTimeout(int bits) {
        // ack_timeout_ms is a uint32: 2^31 and 2^32 - 1 arrive in Java as negative ints.
        PushRequest request = toUser("alice").toBuilder()
                .setWaitAck(true)
                .setAckTimeoutMs(bits)
                .build();

        assertInvalid(request, "ack_timeout_ms");
    }

    @Test
    void push_withPayloadTypeOver64Characters_isInvalidArgumentNamingPayloadType() {
        assertInvalid(toUser("alice").toBuilder().setPayloadType("t".repeat(65)).build(), "payload_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-conn-id", "zz65a3b2000000017f0000012328", "6565a3b2000000017f000001232"})
    void push_toMalformedConnId_isInvalidArgumentNamingConnId(String connId) {
        PushRequest request = PushRequest.newBuilder()
                .setConnection(ConnectionTarget.newBuilder().setConnId(connId))
                .setPayload(PAYLOAD)
                .build();

        assertInvalid(request, "conn_id");
    }

    private void assertInvalid(PushRequest request, String field) {
        assertThatThrownBy(() -> push.stub().push(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith(field + ":");
                });
        assertThat(edges.delivers()).isEmpty();
    }

    private static PushRequest toUser(String userId) {
        return PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId(userId))
                .setPayload(PAYLOAD)
                .build();
    }
}
