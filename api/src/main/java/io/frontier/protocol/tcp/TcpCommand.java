package io.frontier.protocol.tcp;

/**
 * The cmd byte of a TCP frame (PROTOCOL.md 1.2).
 */
public final class TcpCommand {
    /** Either way, empty; ignored. */
    public static final int NULL = 0x00;
    /** Client's {@code TcpHello}; the server replies Hello with {@code TcpHelloAck}. */
    public static final int HELLO = 0x01;
    /** Client's heartbeat; the server replies Ping with the same seq. */
    public static final int PING = 0x02;
    /** Client's acknowledgement of the Push with the same seq. */
    public static final int ACK = 0x03;
    /** Reserved: encrypted hello. */
    public static final int HELLO_X = 0x07;
    /** Server's push: opaque business bytes. */
    public static final int PUSH = 0x08;
    /** Client's {@code TcpRequest}; the server replies Data with {@code TcpResponse}. */
    public static final int DATA = 0x0A;
    /** Reserved: trusted L4 proxy header. */
    public static final int PROXY = 0x0E;
    /** Either way: {@code Bye}, then the sender closes. */
    public static final int BYE = 0x0F;

    private TcpCommand() {
    }

    /** Returns whether {@code cmd} is one of the commands of the protocol. */
    public static boolean isKnown(int cmd) {
        switch (cmd) {
            case NULL, HELLO, PING, ACK, HELLO_X, PUSH, DATA, PROXY, BYE:
                return true;
            default:
                return false;
        }
    }

    /** Returns the protocol name of {@code cmd}, or its hex value when unknown. */
    public static String name(int cmd) {
        switch (cmd) {
            case NULL: return "Null";
            case HELLO: return "Hello";
            case PING: return "Ping";
            case ACK: return "Ack";
            case HELLO_X: return "HelloX";
            case PUSH: return "Push";
            case DATA: return "Data";
            case PROXY: return "Proxy";
            case BYE: return "Bye";
            default: return String.format("0x%02x", cmd);
        }
    }
}
