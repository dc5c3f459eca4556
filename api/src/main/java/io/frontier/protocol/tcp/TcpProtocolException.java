package io.frontier.protocol.tcp;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A violation of the TCP protocol, carrying the Bye code (PROTOCOL.md section 3)
 * the peer gets before the connection closes.
 */
public final class TcpProtocolException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public TcpProtocolException(int code, String reason) {
        super(reason);
        this.code = code;
    }

    /** Returns the Bye code for this violation. */
    public int code() {
        return code;
    }
}
