package io.frontier.edge.internal.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.api.v1.SendMessageRequestOrBuilder;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.Transport;
import io.frontier.protocol.StatusCode;
import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.HelloX;
import io.frontier.protocol.hellox.NoiseNk;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.EncoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;

/**
 * The feature phone's side of a session (PROTOCOL.md 1): cuts the byte stream into
 * frames in the layout drawn on {@link TcpFrameDecoder}, turns each into a call of its
 * {@link DeviceSession}, and writes the session's answers as frames. The codec is folded
 * in here rather than kept as two more handlers, so that an idle connection holds one
 * handler and, only while a frame is incomplete, its partial bytes. One instance per
 * connection; every method runs on the channel's event loop.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter implements Transport {
    private static final int HEADER = TcpFrameDecoder.HEADER_LENGTH;
    private static final int MAX_TCP_SEQ = 0xFFFF;
    private static final int MAX_PAYLOAD = 0xFFFF;
    private static final int FRAME_READ = 0;
    private static final int INCOMPLETE = 1;
    private static final int STOP = 2;

    private Channel channel;
    private final DeviceSession session;
    // The bytes of a frame not read whole yet; null between frames.
    private ByteBuf partial;
    private int helloSeq;
    // The encrypted session of a device that said HelloX; null for a plain one.
    private HelloXSession helloX;

    TcpSessionHandler(SessionContext context) {
        session = new DeviceSession(context, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.open();
        int refusal = session.refusal();
        if (refusal != 0) {
            session.refuse(refusal);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf buf = partial == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), partial, in);
        partial = null;
        int read = FRAME_READ;
        try {
            while (read == FRAME_READ && buf.readableBytes() >= HEADER) {
                read = readFrame(buf);
            }
        } finally {
            if (read != STOP && buf.isReadable()) {
                partial = buf;
            } else {
                buf.release();
            }
        }
    }

    /**
     * Reads the frame at the start of {@code buf}: returns {@link #FRAME_READ} when it was whole,
     * {@link #INCOMPLETE} when its payload has not all arrived yet (its bytes stay for the next
     * read), {@link #STOP} when nothing more is to be read.
     */
    private int readFrame(ByteBuf buf) {
        int start = buf.readerIndex();
        int cmd = buf.getUnsignedByte(start);
        int length = buf.getUnsignedShort(start + 3);
        if (!TcpCommand.isKnown(cmd)) {
            // Nothing after a broken frame can be trusted: the rest is dropped with the connection.
            session.protocolError(StatusCode.BAD_REQUEST, "unknown cmd " + TcpCommand.name(cmd));
            return STOP;
        }
        int max = session.context().config().tcp().maxPayload();
        if (length > max) {
            session.protocolError(StatusCode.TOO_LARGE, "frame of " + length + " bytes over the limit of " + max);
            return STOP;
        }
        if (buf.readableBytes() < HEADER + length) {
            return INCOMPLETE;
        }
        int seq = buf.getUnsignedShort(start + 1);
        ByteBuf payload = buf.slice(start + HEADER, length);
        buf.skipBytes(HEADER + length);
        if (!session.frame()) {
            return STOP;
        }
        if (helloX == null) {
            handle(cmd, seq, payload);
        } else {
            ByteBuf plaintext;
            try {
                plaintext = helloX.open(cmd, seq, payload, channel.alloc());
            } catch (GeneralSecurityException e) {
                // Changed, replayed, reordered or plain: the stream can no longer be trusted.
                session.protocolError(StatusCode.BAD_REQUEST, TcpCommand.name(cmd) + " seq " + seq + " does not open");
                return STOP;
            }
            try {
                handle(cmd, seq, plaintext);
            } finally {
                plaintext.release();
            }
        }
        return FRAME_READ;
    }

    /** {@code payload} is valid during this call only. */
    private void handle(int cmd, int seq, ByteBuf payload) {
        switch (cmd) {
            case TcpCommand.NULL -> {
            }
            case TcpCommand.PING -> session.ping(seq, null);
            case TcpCommand.BYE -> onDeviceBye(payload);
            case TcpCommand.HELLO -> onHello(seq, payload);
            case TcpCommand.HELLO_X -> onHelloX(seq, payload);
            case TcpCommand.PROXY -> session.protocolError(StatusCode.BAD_REQUEST, "Proxy from an untrusted peer");
            case TcpCommand.DATA -> onData(seq, payload);
            case TcpCommand.ACK -> session.ack(seq);
            case TcpCommand.PUSH -> session.forbidden(session.online() ? "Push is a server command" : "Push before Hello");
            default -> session.protocolError(StatusCode.BAD_REQUEST, "unknown cmd " + TcpCommand.name(cmd));
        }
    }

    private void onDeviceBye(ByteBuf payload) {
        try {
            Bye bye = Bye.parseFrom(payload.nioBuffer());
            session.deviceBye(bye.getCode(), bye.getReason());
        } catch (InvalidProtocolBufferException e) {
            session.deviceBye(StatusCode.OK, "(malformed payload)");
        }
    }

    private void onHello(int seq, ByteBuf payload) {
        TcpHello hello;
        try {
            hello = TcpHello.parseFrom(payload.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            session.protocolError(StatusCode.BAD_REQUEST, "malformed Hello");
            return;
        }
        helloSeq = seq;
        session.hello(new Credentials(hello.getToken(), hello.getDeviceId(), ClientType.CLIENT_TYPE_TCP,
                SessionContext.clientAddr(channel), hello.getAppVersion()));
    }

    /**
     * Answers the device's HelloX (PROTOCOL.md 1.6) at once: the key it names, Noise message 1, then
     * message 2, after which every frame is sealed and the session goes on as on a plain connection,
     * with the device's Hello. The session's own rules (a Hello before, a banned address) come before
     * any key agreement, and the refusals in the order the spec gives.
     */
    private void onHelloX(int seq, ByteBuf payload) {
        HelloXKeys keys = session.context().helloXKeys();
        if (keys == null) {
            session.protocolError(StatusCode.NOT_IMPLEMENTED, "HelloX is not enabled on this edge");
            return;
        }
        if (helloX != null) {
            session.protocolError(StatusCode.BAD_REQUEST, "second HelloX");
            return;
        }
        if (!session.admitsHello()) {
            return;
        }
        int length = payload.readableBytes();
        int start = payload.readerIndex();
        int version = length == 0 ? -1 : payload.getUnsignedByte(start);
        if (version < 0) {
            session.protocolError(StatusCode.BAD_REQUEST, "empty HelloX");
            return;
        }
        if (version != HelloX.VERSION) {
            session.protocolError(StatusCode.NOT_IMPLEMENTED, "HelloX version " + version + " (expected: "
                    + HelloX.VERSION + ")");
            return;
        }
        if (length != HelloX.REQUEST_LENGTH) {
            session.protocolError(StatusCode.BAD_REQUEST, "HelloX of " + length + " bytes (expected: "
                    + HelloX.REQUEST_LENGTH + ")");
            return;
        }
        HelloXKeys.Key key = keys.find(payload.getInt(start + 1));
        if (key == null) {
            session.keyRefused("HelloX names a key this edge does not hold");
            return;
        }
        NoiseNk.Responder handshake = NoiseNk.responder(HelloX.prologue(version, key.id()), key.privateKey(),
                key.publicKey());
        byte[] answer;
        try {
            handshake.readMessage1(ByteBufUtil.getBytes(payload, start + HelloX.PREFIX_LENGTH,
                    length - HelloX.PREFIX_LENGTH));
            answer = handshake.writeMessage2(new byte[0], keys.ephemeral());
            helloX = new HelloXSession(handshake.split());
        } catch (AEADBadTagException e) {
            session.keyRefused("HelloX does not decrypt with the key it names");
            return;
        } catch (GeneralSecurityException e) {
            // The key agreement itself refused: an ephemeral key of small order.
            session.keyRefused("HelloX's ephemeral key is of small order");
            return;
        }
        // The answer itself is plain: the device has its keys only once it has read it.
        channel.writeAndFlush(header(TcpCommand.HELLO_X, seq, answer.length).writeBytes(answer))
                .addListener(session);
    }

    private void onData(int seq, ByteBuf payload) {
        SendMessageRequest.Builder upstream = SendMessageRequest.newBuilder().setSeqid(seq);
        if (!session.acceptsRequest(upstream)) {
            return;
        }
        TcpRequest request;
        try {
            request = TcpRequest.parseFrom(payload.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            session.protocolError(StatusCode.BAD_REQUEST, "malformed Data");
            return;
        }
        session.request(upstream
                .setService(request.getService())
                .setPayloadType(request.getPayloadType())
                .setPayload(request.getPayload()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException io) {
            session.ioFailed(io);
        } else {
            session.unexpected(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        session.closed();
        ctx.fireChannelInactive();
    }

    // ---- Transport ----

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public ClientType clientType() {
        return ClientType.CLIENT_TYPE_TCP;
    }

    @Override
    public String helloName() {
        return "Hello";
    }

    @Override
    public long maxPushSeq() {
        return MAX_TCP_SEQ;
    }

    @Override
    public int maxPushPayload() {
        return helloX == null ? MAX_PAYLOAD : FrameCipher.MAX_PLAINTEXT;
    }

    @Override
    public ChannelFuture writeHello(DeviceSession online) {
        TcpHelloAck ack = TcpHelloAck.newBuilder()
                .setConnId(online.connId())
                .setUserId(online.userId())
                .setHeartbeatSeconds((int) session.context().config().tcp().heartbeatInterval().toSeconds())
                .setServerTimeMs(online.connectedAtMs())
                .build();
        return write(TcpCommand.HELLO, helloSeq, ack);
    }

    @Override
    public ChannelFuture writePush(long seq, PushMessage message) {
        return channel.writeAndFlush(frame(TcpCommand.PUSH, (int) seq, message.payload()));
    }

    @Override
    public void writePushUnacked(long seq, PushMessage message) {
        channel.writeAndFlush(frame(TcpCommand.PUSH, (int) seq, message.payload()), channel.voidPromise());
    }

    @Override
    public ChannelFuture writeReply(SendMessageRequestOrBuilder request, SendMessageReply reply) {
        return write(TcpCommand.DATA, (int) request.getSeqid(), TcpResponse.newBuilder()
                .setStatus(reply.getStatus())
                .setPayload(reply.getPayload())
                .setMessage(reply.getMessage())
                .build());
    }

    @Override
    public ChannelFuture writePong(int seq, ByteBuf data) {
        ReferenceCountUtil.release(data);
        return channel.writeAndFlush(frame(TcpCommand.PING, seq, Unpooled.EMPTY_BUFFER));
    }

    @Override
    public ChannelFuture writePing() {
        return channel.newSucceededFuture();
    }

    @Override
    public ChannelFuture writeBye(int code, String reason, boolean online, Object detail) {
        return write(TcpCommand.BYE, 0, Bye.newBuilder().setCode(code).setReason(reason).build());
    }

    @Override
    public ChannelFuture acknowledgeDeviceBye() {
        return channel.newSucceededFuture();
    }

    /** Writes and flushes one frame; a payload that does not fit a frame fails the future as a failed write does. */
    private ChannelFuture write(int cmd, int seq, MessageLite message) {
        ByteBuf out;
        try {
            out = frame(cmd, seq, Unpooled.wrappedBuffer(message.toByteArray()));
        } catch (EncoderException e) {
            return channel.newFailedFuture(e);
        }
        return channel.writeAndFlush(out);
    }

    /**
     * Returns one frame of {@code payload}'s readable bytes (not consumed), sealed once a HelloX is
     * answered (a Bye refusing a HelloX is plain: the device has no keys).
     *
     * @throws EncoderException when the payload does not fit a frame, or cannot be sealed
     */
    private ByteBuf frame(int cmd, int seq, ByteBuf payload) {
        int length = payload.readableBytes();
        if (helloX == null) {
            if (length > MAX_PAYLOAD) {
                throw new EncoderException("payload: " + length + " bytes (expected: at most " + MAX_PAYLOAD + ")");
            }
            return header(cmd, seq, length).writeBytes(payload, payload.readerIndex(), length);
        }
        ByteBuf out = channel.alloc().ioBuffer(HEADER + length + FrameCipher.TAG_LENGTH);
        try {
            helloX.seal(cmd, seq, payload, out);
            return out;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            out.release();
            throw new EncoderException("sealing " + TcpCommand.name(cmd) + ": " + e.getMessage(), e);
        }
    }

    /** Returns a buffer holding a frame's header, with room for its payload. */
    private ByteBuf header(int cmd, int seq, int length) {
        ByteBuf out = channel.alloc().ioBuffer(HEADER + length);
        out.writeByte(cmd);
        out.writeShort(seq);
        out.writeShort(length);
        return out;
    }
}
