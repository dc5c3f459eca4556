package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Frame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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

    /**
     * The JSON mapping reads a uint64 as an exact BigInteger: this seqid, 23 bytes, had the event
     * loop compute ten to the 500,000,000th power (seconds, hundreds of MB) before refusing it.
     */
    @Test
    void seqidWithAHugeExponent_isUndecodable_atOnce() {
        for (String json : new String[] {"{\"seqid\":1e500000000}", "{\"logid\":\"1E-500000000\"}"}) {
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decode(new TextWebSocketFrame(json))))
                    .as(json).isNull();
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
