package io.frontier.edge.internal.transport.tcp;

import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.NoiseNk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.GeneralSecurityException;

/** The channel of a device that said HelloX (PROTOCOL.md 1.6): the two directions' ciphers. Event loop only. */
final class HelloXSession {
    private final FrameCipher fromDevice;
    private final FrameCipher toDevice;

    HelloXSession(NoiseNk.Keys keys) {
        fromDevice = new FrameCipher(keys.receive());
        toDevice = new FrameCipher(keys.send());
    }

    void seal(int cmd, int seq, ByteBuf plaintext, ByteBuf out) throws GeneralSecurityException {
        toDevice.seal(cmd, seq, plaintext, out);
    }

    /** Returns the plaintext of a device's sealed frame, which the caller releases. */
    ByteBuf open(int cmd, int seq, ByteBuf sealed, ByteBufAllocator alloc) throws GeneralSecurityException {
        return fromDevice.open(cmd, seq, sealed, alloc);
    }
}
