package io.frontier.edge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.frontier.cli.DevTokens;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.PushResult;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * What the device protocols' fuzz tests check on every input, whatever the protocol: that
 * nothing went wrong that the protocol does not explain (an exception that reached the
 * pipeline's end, a warning or an error logged, a Bye 500), that every close carries a code of
 * PROTOCOL.md section 3, that a connection holds a bounded number of bytes while it is open,
 * and none once it closed.
 *
 * <p>The bytes are counted by an allocator of the connection's own: Netty's leak detector
 * reports only at a later garbage collection, and an input that leaks must fail on itself.
 */
public final class FuzzHarness {
    /** The codes of PROTOCOL.md section 3 but 500, which only a failure the protocol does not explain sends. */
    public static final Set<Integer> BYE_CODES = Set.of(StatusCode.OK, StatusCode.BAD_REQUEST,
            StatusCode.UNAUTHORIZED, StatusCode.NOT_FOUND, StatusCode.TIMEOUT, StatusCode.REPLACED, StatusCode.KICKED,
            StatusCode.TOO_LARGE, StatusCode.TOO_MANY, StatusCode.NOT_IMPLEMENTED, StatusCode.BAD_GATEWAY,
            StatusCode.DRAINING, StatusCode.GATEWAY_TIMEOUT);

    /** The token of the device the fuzz tests put online, valid for longer than a long fuzzing run. */
    public static final String TOKEN = DevTokens.mint(Tokens.SECRET, "alice", "phone-1", Duration.ofDays(7),
            Clock.systemUTC());
    /** The configuration of the fuzzed edge: small limits, so that the fuzzer reaches them. */
    public static final EdgeConfig CONFIG = EdgeConfig.builder().jwtSecret(Tokens.SECRET).maxTcpPayload(1024)
            .maxWsMessage(4096).maxPendingAcks(4).build();

    private static final Problems PROBLEMS = new Problems();
    private static final Map<EdgeConfig, SessionContext> CONTEXTS = new ConcurrentHashMap<>();
    // The harness of the input running now: fuzzing runs one input at a time.
    private static FuzzHarness current;
    private static final String DEVICE_BYE = "device said bye";

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final List<String> closes = new ArrayList<>();
    private final List<CompletableFuture<PushResult>> pushes = new ArrayList<>();
    private SessionContext context;
    private SessionRegistry registry;
    private EmbeddedChannel channel;

    private FuzzHarness() {
    }

    /**
     * Starts a harness for one input. The edge's logs go to the harness, not the console, from
     * the first input until {@link #restoreLogs()}: a fuzzer runs millions of connections, and
     * one that logs a warning is a finding.
     */
    public static FuzzHarness start() {
        PROBLEMS.attach();
        return new FuzzHarness();
    }

    /** Gives the edge's logs back to the console; for a fuzz test's {@code @AfterAll}. */
    public static void restoreLogs() {
        PROBLEMS.detach();
    }

    /**
     * Returns the context without sockets of {@code config}, whose sessions report to this harness.
     * One per configuration serves every input, as one serves every connection of an edge: a
     * context is costly to make (its per-address tables), and an input that leaves a trace in it
     * (a connection counted or registered after its close) fails {@link #finish()}.
     */
    public SessionContext context(EdgeConfig config) {
        return context(config, null);
    }

    /** As {@link #context(EdgeConfig)}, with HelloX's keys; one configuration goes with one set of keys. */
    public SessionContext context(EdgeConfig config, HelloXKeys helloXKeys) {
        current = this;
        context = CONTEXTS.get(config);
        if (context == null || context.registry().size() != 0 || context.openConnections() != 0) {
            // A fresh one after an input that failed: its traces would fail every input after it.
            context = EmbeddedSessions.context(config, EmbeddedSessions.registry(), new SessionListener() {
                @Override
                public void onConnected(Session session) {
                }

                @Override
                public void onDisconnected(Session session, int code, String reason) {
                    current.closes.add(code + " " + reason);
                }
            }, helloXKeys);
            CONTEXTS.put(config, context);
        }
        registry = context.registry();
        return context;
    }

    /** Pushes {@code payload} to every session online, as a backend would; {@link #finish()} checks each was answered. */
    public void push(byte[] payload, long ackTimeoutMs) {
        registry.forEach(session -> pushes.add(
                session.push(new PushMessage(Unpooled.wrappedBuffer(payload), "", 0, 0), ackTimeoutMs)));
    }

    /**
     * Opens a connection through {@code handlers} whose buffers this harness counts, on a
     * frozen clock so that the frame-rate limits and deadlines depend on the input alone.
     */
    public EmbeddedChannel open(SessionContext context, ChannelHandler... handlers) {
        channel = new EmbeddedChannel(false, true, handlers);
        channel.config().setAllocator(alloc);
        channel.config().setWriteBufferWaterMark(context.config().sessions().writeBufferWaterMark());
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException("an EmbeddedChannel did not register", e);
        }
        channel.freezeTime();
        return channel;
    }

    /** Returns a buffer of this connection's allocator holding {@code bytes}. */
    public ByteBuf buffer(byte[] bytes) {
        return alloc.heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** Returns what the connection wrote since the last call, as the messages its last handler wrote. */
    public List<Object> written() {
        List<Object> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            out.add(msg);
        }
        return out;
    }

    /** Releases what {@link #written()} returned. */
    public static void release(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    /**
     * Checks the connection after a step: nothing logged that the protocol does not explain,
     * every close the edge made with a code of section 3 (the device's own close with its Bye's
     * code, or 0 without one), and at most
     * {@code maxHeld} bytes held while it is open. Call with nothing written left unread.
     */
    public void check(long maxHeld) {
        PROBLEMS.throwIfAny();
        for (String close : closes) {
            int code = Integer.parseInt(close.substring(0, close.indexOf(' ')));
            // 0: the device closed without a Bye (its socket, or its WebSocket close frame), as SessionListener says.
            if (code != 0 && !close.contains(DEVICE_BYE) && !BYE_CODES.contains(code)) {
                throw new AssertionError("closed with a code outside PROTOCOL.md section 3: " + close);
            }
        }
        long held = held();
        if (channel.isOpen() && held > maxHeld) {
            throw new AssertionError("an open connection holds " + held + " bytes (expected: at most " + maxHeld + ")");
        }
    }

    /** Closes the connection and checks that it holds no buffer any more: every one it took was released. */
    public void finish() {
        channel.close();
        channel.runPendingTasks();
        release(written());
        channel.finishAndReleaseAll();
        PROBLEMS.throwIfAny();
        long held = held();
        if (held != 0) {
            throw new AssertionError("closed connection still holds " + held + " bytes: a buffer leaked");
        }
        for (CompletableFuture<PushResult> push : pushes) {
            if (!push.isDone()) {
                throw new AssertionError("a push to a closed connection has no answer");
            }
        }
        if (registry.size() != 0 || context.openConnections() != 0) {
            throw new AssertionError("a closed connection is still registered (" + registry.size()
                    + ") or counted open (" + context.openConnections() + ")");
        }
    }

    /** Returns the closes this harness heard of, as "code reason". */
    public List<String> closes() {
        return closes;
    }

    private long held() {
        return alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
    }

    /**
     * Collects what the edge logs at WARN or above, anything logged with an exception, and
     * Netty's leak reports; the edge's INFO lines of a close are the protocol at work.
     */
    private static final class Problems extends AppenderBase<ILoggingEvent> {
        private final List<String> seen = new ArrayList<>();

        private final Map<Logger, Level> levels = new LinkedHashMap<>();

        synchronized void attach() {
            if (isStarted()) {
                return;
            }
            start();
            // DEBUG for the edge, since a session that fails while closing says so only there (with the cause).
            watch("io.frontier", Level.DEBUG);
            watch("io.netty", Level.WARN);
        }

        private void watch(String name, Level level) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levels.put(logger, logger.getLevel());
            logger.setLevel(level);
            logger.setAdditive(false);
            logger.addAppender(this);
        }

        synchronized void detach() {
            levels.forEach((logger, level) -> {
                logger.detachAppender(this);
                logger.setAdditive(true);
                logger.setLevel(level);
            });
            levels.clear();
            seen.clear();
            stop();
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            boolean leak = event.getLoggerName().startsWith("io.netty.util.ResourceLeakDetector");
            if (!leak && closingEcho(event)) {
                return;
            }
            if (leak || event.getLevel().isGreaterOrEqual(Level.WARN) || event.getThrowableProxy() != null) {
                seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " (" + event.getThrowableProxy().getClassName()
                        + ": " + event.getThrowableProxy().getMessage() + ")"));
            }
        }

        /**
         * A connection that closes halfway through a fragmented message makes the message
         * aggregator say so once the session has closed: the close's echo, which the session logs
         * at DEBUG and which no device can tell from a connection lost mid-message.
         */
        private static boolean closingEcho(ILoggingEvent event) {
            return event.getLevel() == Level.DEBUG && event.getThrowableProxy() != null
                    && event.getThrowableProxy().getClassName().equals(PrematureChannelClosureException.class.getName());
        }

        synchronized void throwIfAny() {
            if (!seen.isEmpty()) {
                String all = String.join("\n", seen);
                seen.clear();
                throw new AssertionError("logged:\n" + all);
            }
        }
    }
}
