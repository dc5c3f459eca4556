package io.frontier.edge.internal.transport.ws;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Frame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;

/**
 * Fuzzes the frontier.json sub-protocol's parsing (PROTOCOL.md 2.1: a {@code Frame} in the
 * protobuf JSON mapping) on its own, many times faster than through a connection: any text
 * either is a Frame or fails as undecodable ({@link InvalidProtocolBufferException}, which the
 * session answers with BYE 400 and close 1007), and a Frame prints as text that parses back to
 * the same Frame.
 *
 * <p>Its inputs (regression seeds and findings) are in {@code JsonFrameFuzzTestInputs/jsonFrame}
 * under the test resources; the README says how to fuzz it for longer.
 */
class JsonFrameFuzzTest {
    @FuzzTest
    void jsonFrame(FuzzedDataProvider data) {
        Frame frame = decode(new TextWebSocketFrame(data.consumeRemainingAsString()));
        if (frame == null) {
            return;
        }
        TextWebSocketFrame printed = (TextWebSocketFrame) WsSubprotocol.JSON.encode(frame);
        String text = printed.text();
        Frame again = decode(printed);
        if (!frame.equals(again)) {
            throw new AssertionError("printed as " + text + ", parsed back as " + again);
        }
    }

    /** Returns the Frame of {@code message} (which this releases), or null when it is not one. */
    private static Frame decode(TextWebSocketFrame message) {
        try {
            return WsSubprotocol.JSON.decode(message);
        } catch (InvalidProtocolBufferException e) {
            return null;
        } catch (IOException e) {
            throw new AssertionError("an undecodable frame fails as InvalidProtocolBufferException", e);
        } finally {
            message.release();
        }
    }
}
