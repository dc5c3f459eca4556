package io.frontier.device;

import io.frontier.protocol.StatusCode;
import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.HelloX;
import io.frontier.protocol.hellox.NoiseNk;
import io.frontier.protocol.hellox.X25519;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The device's side of HelloX (PROTOCOL.md 1.6), in a pipeline of {@link TcpFrame}s after the frame
 * codec: frames pass as they are until {@link #start} makes the payload of a HelloX; the server's
 * answer finishes the handshake and is passed on as an empty HelloX frame of its seq; from then on
 * every frame, the Hello first, is sealed on its way out and opened on its way in. A frame that does
 * not open is a {@link TcpProtocolException} of code 400. One instance per connection.
 */
public final class HelloXCodec extends MessageToMessageCodec<TcpFrame, TcpFrame> {
    private static final SecureRandom RANDOM = new SecureRandom();

    // Written by the caller's thread before the HelloX frame is written, read on the event loop.
    private volatile NoiseNk.Initiator handshake;
    private FrameCipher toServer;
    private FrameCipher fromServer;

    /**
     * Returns the payload of a HelloX to the edge whose static public key is {@code serverKey}, and
     * expects its answer: write it next, as a HelloX frame, and nothing else until the answer.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes
     */
    public byte[] start(byte[] serverKey) throws GeneralSecurityException {
        if (serverKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("serverKey: " + serverKey.length + " bytes (expected: "
                    + X25519.KEY_LENGTH + ")");
        }
        byte[] keyId = HelloX.keyId(serverKey);
        NoiseNk.Initiator initiator = NoiseNk.initiator(HelloX.prologue(HelloX.VERSION, keyId), serverKey,
                X25519.generatePrivate(RANDOM));
        byte[] payload = HelloX.request(keyId, initiator.writeMessage1(new byte[0]));
        handshake = initiator;
        return payload;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, TcpFrame frame, List<Object> out) {
        if (toServer == null) {
            out.add(frame.retain());
            return;
        }
        ByteBuf sealed = ctx.alloc().buffer(FrameCipher.HEADER_LENGTH + frame.content().readableBytes()
                + FrameCipher.TAG_LENGTH);
        try {
            toServer.seal(frame.cmd(), frame.seq(), frame.content(), sealed);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            sealed.release();
            throw new EncoderException("sealing " + TcpCommand.name(frame.cmd()) + ": " + e.getMessage(), e);
        }
        out.add(new TcpFrame(frame.cmd(), frame.seq(), sealed.skipBytes(FrameCipher.HEADER_LENGTH)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, TcpFrame frame, List<Object> out) throws Exception {
        if (fromServer != null) {
            try {
                out.add(new TcpFrame(frame.cmd(), frame.seq(),
                        fromServer.open(frame.cmd(), frame.seq(), frame.content(), ctx.alloc())));
            } catch (GeneralSecurityException e) {
                throw new TcpProtocolException(StatusCode.BAD_REQUEST,
                        TcpCommand.name(frame.cmd()) + " seq " + frame.seq() + " does not open");
            }
            return;
        }
        NoiseNk.Initiator waiting = handshake;
        if (waiting == null || frame.cmd() != TcpCommand.HELLO_X) {
            out.add(frame.retain());
            return;
        }
        handshake = null;
        try {
            waiting.readMessage2(ByteBufUtil.getBytes(frame.content()));
            NoiseNk.Keys keys = waiting.split();
            toServer = new FrameCipher(keys.send());
            fromServer = new FrameCipher(keys.receive());
        } catch (GeneralSecurityException e) {
            throw new TcpProtocolException(StatusCode.UNAUTHORIZED, "the HelloX answer does not decrypt");
        }
        out.add(TcpFrame.empty(frame.cmd(), frame.seq()));
    }
}
