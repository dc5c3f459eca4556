package io.frontier.edge.internal.transport.ws;

/** The {@code Frame.method} values of PROTOCOL.md 2.2. */
final class WsMethod {
    /** Client to server: upstream request; the reply has the same seqid and method. */
    static final int SEND_MESSAGE = 1;
    /** Server to client: a push, numbered per connection from 1. */
    static final int PUSH = 2;
    /** Client to server: acknowledges the push with this seqid. */
    static final int ACK = 3;
    /** Server to client: the first frame after the upgrade. */
    static final int HELLO = 4;
    /** Either way: headers code and reason, then the WebSocket close. */
    static final int BYE = 5;

    private WsMethod() {
    }
}
