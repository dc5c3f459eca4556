package io.frontier.edge.internal.transport.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.frontier.api.v1.Frame;
import io.frontier.edge.internal.session.PushMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;

/**
 * The two sub-protocols of PROTOCOL.md 2.1: one protobuf {@code Frame} per binary
 * message ({@code frontier.pb}, the default), or per text message in the protobuf
 * JSON mapping ({@code frontier.json}; bytes as base64, 64-bit numbers as strings).
 */
enum WsSubprotocol implements WsCodec {
    PB("frontier.pb") {
        @Override
        public Frame decode(WebSocketFrame message) throws IOException {
            if (!(message instanceof BinaryWebSocketFrame)) {
                throw new InvalidProtocolBufferException("frontier.pb carries binary messages");
            }
            // Read in place: a stream over the buffer would allocate a 4 KiB block per frame, every ack.
            return Frame.parseFrom(message.content().nioBuffer());
        }

        @Override
        public WebSocketFrame encode(Frame frame) {
            return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray()));
        }

        @Override
        public WebSocketFrame encodePush(ByteBufAllocator alloc, long seq, PushMessage message) {
            return new BinaryWebSocketFrame(PushFrames.encode(alloc, seq, message));
        }
    },
    JSON("frontier.json") {
        private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
        private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

        @Override
        public Frame decode(WebSocketFrame message) throws IOException {
            if (!(message instanceof TextWebSocketFrame text)) {
                throw new InvalidProtocolBufferException("frontier.json carries text messages");
            }
            String json = text.text();
            String uint64 = Uint64Guard.outOfReach(json);
            if (uint64 != null) {
                throw new InvalidProtocolBufferException("Out of range uint64 value: " + uint64);
            }
            Frame.Builder frame = Frame.newBuilder();
            parser.merge(json, frame);
            return frame.build();
        }

        @Override
        public WebSocketFrame encode(Frame frame) {
            try {
                return new TextWebSocketFrame(printer.print(frame));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a Frame always prints as JSON", e);
            }
        }
    };

    /** The sub-protocols the server offers, in its order of preference. */
    static final String OFFERED = "frontier.pb,frontier.json";

    private final String wireName;

    WsSubprotocol(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the sub-protocol the handshake selected; none selected means {@code frontier.pb}. */
    static WsSubprotocol selected(String name) {
        return JSON.wireName.equals(name) ? JSON : PB;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public WebSocketFrame encodePush(ByteBufAllocator alloc, long seq, PushMessage message) {
        return encode(PushFrames.frame(seq, message));
    }
}
