package io.frontier.edge.internal.transport.tcp;

import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * What a fuzzed device sent, read as frames by the decoder devices and tests use: whether it said
 * Bye before its stream broke, which lets the edge close without a Bye of its own.
 */
final class SentByDevice {
    private final EmbeddedChannel decoder;
    private boolean broken;
    private boolean saidBye;

    SentByDevice(int maxPayload) {
        decoder = new EmbeddedChannel(new TcpFrameDecoder(maxPayload));
    }

    void write(byte[] bytes) {
        if (broken) {
            return;
        }
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (TcpProtocolException e) {
            broken = true;
        }
        for (TcpFrame frame; (frame = decoder.readInbound()) != null; ) {
            saidBye |= frame.cmd() == TcpCommand.BYE;
            frame.release();
        }
    }

    boolean saidBye() {
        return saidBye;
    }

    void close() {
        decoder.finishAndReleaseAll();
    }
}
