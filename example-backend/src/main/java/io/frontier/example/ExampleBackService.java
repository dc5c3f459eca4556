package io.frontier.example;

import io.frontier.api.v1.AuthReply;
import io.frontier.api.v1.AuthRequest;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendEventReply;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.protocol.StatusCode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;

/**
 * What a backend implements: {@code BackService} of {@code frontier/v1/back.proto}.
 *
 * <ul>
 *   <li>{@code SendMessage} receives what a device sent to a service routed here
 *       ({@code --route 1001=HOST:PORT}) and answers it; this one echoes the payload with
 *       status 200, the same payload type, and a header {@code echo: true}.
 *   <li>{@code SendEvent} hears of every device connecting and disconnecting
 *       ({@code --event-backend HOST:PORT}); this one prints a line per event.
 *   <li>{@code Auth} checks device tokens for a gateway started with {@code --auth-backend};
 *       this one does not, and says so with UNIMPLEMENTED.
 * </ul>
 */
final class ExampleBackService extends BackServiceGrpc.BackServiceImplBase {
    private final PrintStream out;

    ExampleBackService(PrintStream out) {
        this.out = out;
    }

    @Override
    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageReply> reply) {
        // request.getConnection() says who sent it: user, device, connection id, edge.
        reply.onNext(SendMessageReply.newBuilder()
                .setStatus(StatusCode.OK)
                .setPayload(request.getPayload())
                .setPayloadType(request.getPayloadType())
                .addHeaders(Frame.ExtendedEntry.newBuilder().setKey("echo").setValue("true"))
                .build());
        reply.onCompleted();
    }

    @Override
    public void sendEvent(ConnectionEvent event, StreamObserver<SendEventReply> reply) {
        out.println(describe(event));
        // Answering tells the gateway the event arrived; an error makes it try again (3 tries).
        reply.onNext(SendEventReply.getDefaultInstance());
        reply.onCompleted();
    }

    @Override
    public void auth(AuthRequest request, StreamObserver<AuthReply> reply) {
        reply.onError(Status.UNIMPLEMENTED
                .withDescription("the example backend does not check tokens")
                .asRuntimeException());
    }

    /**
     * Returns the line printed for {@code event}, such as
     * {@code event DISCONNECTED user=alice device=phone-1 type=tcp conn=6b07... edge=edge-1 code=200 reason=bye}.
     */
    static String describe(ConnectionEvent event) {
        ConnectionInfo conn = event.getConnection();
        String line = "event " + event.getKind() + " user=" + conn.getUserId() + " device=" + conn.getDeviceId()
                + " type=" + typeName(conn.getClientType()) + " conn=" + conn.getConnId() + " edge=" + conn.getEdgeId();
        if (event.getKind() == ConnectionEvent.Kind.DISCONNECTED) {
            // The reason goes last: it may hold spaces.
            line += " code=" + event.getCode() + " reason=" + event.getReason();
        }
        return line;
    }

    private static String typeName(ClientType type) {
        return switch (type) {
            case CLIENT_TYPE_TCP -> "tcp";
            case CLIENT_TYPE_WS -> "ws";
            default -> "unknown";
        };
    }
}
