package io.frontier.edge.internal.transport.tcp;

import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.NoiseNk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.GeneralSecurityException;

/**
 * One connection's HelloX (PROTOCOL.md 1.6): the handshake, read but not answered while the device
 * authenticates, then the two directions' ciphers. Event loop only.
 */
final class HelloXSession {
    // Until the answer is written; null after.
    private NoiseNk.Responder handshake;
    private FrameCipher fromDevice;
    private FrameCipher toDevice;

    HelloXSession(NoiseNk.Responder handshake) {
        this.handshake = handshake;
    }

    /** Returns whether the device's HelloX is read and not answered yet: frames are plain, and only Bye is taken. */
    boolean awaitingAnswer() {
        return handshake != null;
    }

    /**
     * Returns the payload of the answer, Noise message 2 sealing {@code helloAck} under a fresh
     * {@code ephemeral} key; every frame after it is sealed.
     */
    byte[] answer(byte[] helloAck, byte[] ephemeral) throws GeneralSecurityException {
        byte[] message = handshake.writeMessage2(helloAck, ephemeral);
        NoiseNk.Keys keys = handshake.split();
        fromDevice = new FrameCipher(keys.receive());
        toDevice = new FrameCipher(keys.send());
        handshake = null;
        return message;
    }

    /** Returns whether frames are sealed: the answer has been written. */
    boolean sealing() {
        return toDevice != null;
    }

    void seal(int cmd, int seq, ByteBuf plaintext, ByteBuf out) throws GeneralSecurityException {
        toDevice.seal(cmd, seq, plaintext, out);
    }

    /** Returns the plaintext of a device's sealed frame, which the caller releases. */
    ByteBuf open(int cmd, int seq, ByteBuf sealed, ByteBufAllocator alloc) throws GeneralSecurityException {
        return fromDevice.open(cmd, seq, sealed, alloc);
    }
}
