package io.frontier.edge.internal.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequestOrBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport that says in words what a session wrote ("push 1 hi", "bye 429 ..."), and
 * writes each push's payload to its channel as it is, the way the real transports share it,
 * so that writes complete, fail and fill the buffer as real ones do.
 */
public final class FakeTransport implements Transport {
    private final Channel channel;
    private final ClientType type;
    private final long maxPushSeq;
    /** What the session wrote, in order. */
    public final List<String> written = new ArrayList<>();
    /** Set to make the next writes throw, as an encoder whose classes did not load would. */
    public boolean failing;

    public FakeTransport(Channel channel, ClientType type) {
        this(channel, type, 0xFFFF);
    }

    public FakeTransport(Channel channel, ClientType type, long maxPushSeq) {
        this.channel = channel;
        this.type = type;
        this.maxPushSeq = maxPushSeq;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public ClientType clientType() {
        return type;
    }

    @Override
    public String helloName() {
        return "Hello";
    }

    @Override
    public long maxPushSeq() {
        return maxPushSeq;
    }

    @Override
    public int maxPushPayload() {
        return 0xFFFF;
    }

    @Override
    public ChannelFuture writeHello(DeviceSession session) {
        return write("hello " + session.userId() + "/" + session.deviceId());
    }

    @Override
    public ChannelFuture writePush(long seq, PushMessage message) {
        check();
        written.add("push " + seq + " " + message.payload().toString(StandardCharsets.UTF_8));
        return channel.writeAndFlush(message.payload().retainedDuplicate());
    }

    @Override
    public void writePushUnacked(long seq, PushMessage message) {
        check();
        written.add("push " + seq + " " + message.payload().toString(StandardCharsets.UTF_8));
        channel.writeAndFlush(message.payload().retainedDuplicate(), channel.voidPromise());
    }

    @Override
    public ChannelFuture writeReply(SendMessageRequestOrBuilder request, SendMessageReply reply) {
        return write("reply " + request.getSeqid() + " " + reply.getStatus());
    }

    @Override
    public ChannelFuture writePong(int seq, ByteBuf data) {
        ReferenceCountUtil.release(data);
        return write("pong " + seq);
    }

    @Override
    public ChannelFuture writePing() {
        return write("ping");
    }

    @Override
    public ChannelFuture writeBye(int code, String reason, boolean online, Object detail) {
        return write("bye " + code + " " + reason);
    }

    @Override
    public ChannelFuture acknowledgeDeviceBye() {
        return write("bye acknowledged");
    }

    /** Returns and forgets what was written so far. */
    public List<String> take() {
        List<String> taken = new ArrayList<>(written);
        written.clear();
        return taken;
    }

    private ChannelFuture write(String what) {
        check();
        written.add(what);
        return channel.writeAndFlush(Unpooled.wrappedBuffer(what.getBytes(StandardCharsets.UTF_8)));
    }

    private void check() {
        if (failing) {
            throw new NoClassDefFoundError("io/frontier/api/v1/Bye (injected by the test)");
        }
    }
}
