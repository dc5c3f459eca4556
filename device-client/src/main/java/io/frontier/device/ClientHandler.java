package io.frontier.device;

import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Bye;
import io.frontier.device.TcpDeviceClient.Push;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The state of one device connection: the requests waiting for their reply by seq,
 * the pushes received, and how the session ended.
 *
 * <p>{@link #pending}, {@link #lastSeq} and {@link #closeCause} are confined to the
 * channel's event loop: callers on other threads hand their work to it, so the
 * handler needs no lock and a request can never slip in after the channel closed.
 */
final class ClientHandler extends SimpleChannelInboundHandler<TcpFrame> {
    /** Seq numbers are u16 and the client never uses 0, so at most this many requests wait at once. */
    static final int MAX_PENDING = 0xFFFF;

    private final boolean autoAck;
    private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private final CompletableFuture<Bye> byeReceived = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final IntObjectMap<Pending<?>> pending = new IntObjectHashMap<>();
    private int lastSeq;
    private Throwable closeCause;

    ClientHandler(boolean autoAck) {
        super(TcpFrame.class);
        this.autoAck = autoAck;
    }

    /** Parses the payload of a reply into the value its request completes with. */
    @FunctionalInterface
    interface ReplyParser<T> {
        T parse(TcpFrame reply) throws Exception;
    }

    private record Pending<T>(int cmd, CompletableFuture<T> future, ReplyParser<T> parser) {
        void complete(TcpFrame reply) {
            try {
                future.complete(parser.parse(reply));
            } catch (Exception e) {
                future.completeExceptionally(e);
            }
        }
    }

    /** Returns the seq that follows {@code seq}: 1..65535, wrapping to 1 (0 is never used). */
    static int nextSeq(int seq) {
        return seq >= 0xFFFF ? 1 : seq + 1;
    }

    BlockingQueue<Push> pushes() {
        return pushes;
    }

    CompletableFuture<Bye> byeReceived() {
        return byeReceived;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    /**
     * Sends a frame of {@code cmd} with a fresh seq and returns a future completed
     * with the parsed reply of the same cmd and seq.
     */
    <T> CompletableFuture<T> call(Channel ch, int cmd, byte[] payload, ReplyParser<T> parser) {
        CompletableFuture<T> future = new CompletableFuture<>();
        EventLoop loop = ch.eventLoop();
        if (loop.inEventLoop()) {
            send(ch, cmd, payload, new Pending<>(cmd, future, parser));
        } else {
            try {
                loop.execute(() -> send(ch, cmd, payload, new Pending<>(cmd, future, parser)));
            } catch (RejectedExecutionException e) {
                future.completeExceptionally(closedException());
            }
        }
        return future;
    }

    private void send(Channel ch, int cmd, byte[] payload, Pending<?> request) {
        if (!ch.isActive()) {
            request.future().completeExceptionally(closedException());
            return;
        }
        int seq = allocateSeq();
        if (seq == 0) {
            request.future().completeExceptionally(new IllegalStateException(
                    "pending requests: " + MAX_PENDING + " (expected: fewer; every seq is waiting for a reply)"));
            return;
        }
        pending.put(seq, request);
        // A caller that gives up (orTimeout, cancel) must not leave its entry behind.
        request.future().whenComplete((value, error) -> forget(ch.eventLoop(), seq, request));
        ch.writeAndFlush(TcpFrame.of(cmd, seq, payload)).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                request.future().completeExceptionally(written.cause());
            }
        });
    }

    private int allocateSeq() {
        int seq = lastSeq;
        for (int i = 0; i < MAX_PENDING; i++) {
            seq = nextSeq(seq);
            if (!pending.containsKey(seq)) {
                lastSeq = seq;
                return seq;
            }
        }
        return 0;
    }

    private void forget(EventLoop loop, int seq, Pending<?> request) {
        if (loop.inEventLoop()) {
            if (pending.get(seq) == request) {
                pending.remove(seq);
            }
            return;
        }
        try {
            loop.execute(() -> forget(loop, seq, request));
        } catch (RejectedExecutionException e) {
            // The loop is gone, and the map with it: nothing is left to forget.
        }
    }

    /** Returns the number of requests waiting for a reply; event loop only. */
    int pendingCount() {
        return pending.size();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TcpFrame frame) {
        switch (frame.cmd()) {
            case TcpCommand.NULL:
                return;
            case TcpCommand.PUSH:
                pushes.add(new Push(frame.seq(), frame.payloadBytes()));
                if (autoAck) {
                    ctx.writeAndFlush(TcpFrame.empty(TcpCommand.ACK, frame.seq()));
                }
                return;
            case TcpCommand.BYE:
                Bye bye = parseBye(frame);
                closeCause = new ByeException(bye.getCode(), bye.getReason());
                byeReceived.complete(bye);
                ctx.close();
                return;
            default:
                Pending<?> request = pending.get(frame.seq());
                // A reply of another cmd, or for nothing asked, answers no request of ours.
                if (request != null && request.cmd() == frame.cmd()) {
                    pending.remove(frame.seq());
                    request.complete(frame);
                }
        }
    }

    private static Bye parseBye(TcpFrame frame) {
        if (!frame.content().isReadable()) {
            return Bye.getDefaultInstance();
        }
        try {
            return Bye.parseFrom(frame.payloadBytes());
        } catch (InvalidProtocolBufferException e) {
            // The server is leaving either way; say so rather than lose the Bye.
            return Bye.newBuilder().setReason("undecodable Bye payload: " + e.getMessage()).build();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        if (cause instanceof TcpProtocolException violation && ctx.channel().isActive()) {
            byte[] bye = byePayload(violation.code(), violation.getMessage());
            ctx.writeAndFlush(TcpFrame.of(TcpCommand.BYE, 0, bye)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Throwable cause = closeCause == null ? closedException() : closeCause;
        // Completing a future runs its callbacks, which may forget entries: fail a copy.
        List<Pending<?>> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending<?> request : waiting) {
            request.future().completeExceptionally(cause);
        }
        // Bye first, so that whoever waits on closed() finds out how the session ended.
        byeReceived.completeExceptionally(cause);
        closed.complete(null);
        super.channelInactive(ctx);
    }

    private ClosedChannelException closedException() {
        ClosedChannelException e = new ClosedChannelException();
        if (closeCause != null) {
            e.initCause(closeCause);
        }
        return e;
    }

    /** Returns the payload of a Bye with {@code code} and {@code reason}. */
    static byte[] byePayload(int code, String reason) {
        return Bye.newBuilder().setCode(code).setReason(reason == null ? "" : reason).build().toByteArray();
    }
}
