package io.frontier.edge.internal.delivery;

import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.SessionRegistry;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One push written to every session of a registry whose client type passes a filter.
 * Sessions are grouped by event loop, and each loop runs one task per batch of its
 * sessions: a connection costs its write alone, with no future or task of its own, and a
 * loop serves its other channels between batches. The reply completes when every batch
 * has run; nothing waits on an event loop.
 */
final class Broadcast {
    private final PushMessage message;
    // The batches not yet run, plus one for the fan-out until it has submitted them all.
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger unwritable = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final CompletableFuture<EdgeBroadcastReply> reply = new CompletableFuture<>();

    private Broadcast(PushMessage message) {
        this.message = message;
    }

    /**
     * Writes {@code message} to the sessions of {@code registry} whose client type number
     * is a bit of {@code clientTypeMask}, at most {@code batchSize} per task. Holds its own
     * reference to the payload while batches run: the caller keeps and releases its own.
     */
    static CompletableFuture<EdgeBroadcastReply> start(SessionRegistry registry, PushMessage message,
                                                      int clientTypeMask, int batchSize) {
        message.payload().retain();
        Broadcast broadcast = new Broadcast(message);
        try {
            broadcast.fanOut(registry, clientTypeMask, batchSize);
        } finally {
            broadcast.report(0, 0, 0);
        }
        return broadcast.reply;
    }

    private void fanOut(SessionRegistry registry, int clientTypeMask, int batchSize) {
        // One open batch per event loop; there are few loops, so a list beats a map.
        List<Batch> open = new ArrayList<>(4);
        registry.forEach(session -> {
            if ((clientTypeMask & (1 << session.clientType().getNumber())) == 0) {
                return;
            }
            EventLoop loop = session.channel().eventLoop();
            Batch batch = null;
            for (int i = 0; i < open.size() && batch == null; i++) {
                if (open.get(i).loop == loop) {
                    batch = open.get(i);
                }
            }
            if (batch == null) {
                batch = new Batch(loop, batchSize);
                open.add(batch);
            }
            if (batch.add(session)) {
                open.remove(batch);
                submit(batch);
            }
        });
        for (int i = 0; i < open.size(); i++) {
            submit(open.get(i));
        }
    }

    private void submit(Batch batch) {
        pending.incrementAndGet();
        try {
            batch.loop.execute(batch);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and closes its channels.
            report(0, 0, batch.size);
        }
    }

    private void report(int writtenNow, int unwritableNow, int closedNow) {
        written.addAndGet(writtenNow);
        unwritable.addAndGet(unwritableNow);
        closed.addAndGet(closedNow);
        if (pending.decrementAndGet() == 0) {
            message.payload().release();
            reply.complete(EdgeBroadcastReply.newBuilder()
                    .setWritten(written.get())
                    .setSkippedUnwritable(unwritable.get())
                    .setSkippedClosed(closed.get())
                    .build());
        }
    }

    /** Sessions of one event loop, written to by one task on that loop. */
    private final class Batch implements Runnable {
        final EventLoop loop;
        final DeviceSession[] sessions;
        int size;

        Batch(EventLoop loop, int capacity) {
            this.loop = loop;
            this.sessions = new DeviceSession[capacity];
        }

        /** Adds a session; returns whether the batch is full. */
        boolean add(DeviceSession session) {
            sessions[size++] = session;
            return size == sessions.length;
        }

        @Override
        public void run() {
            int writtenHere = 0;
            int unwritableHere = 0;
            int closedHere = 0;
            int i = 0;
            try {
                for (; i < size; i++) {
                    switch (sessions[i].pushUnacked(message)) {
                        case WRITTEN -> writtenHere++;
                        case UNWRITABLE -> unwritableHere++;
                        case CLOSED -> closedHere++;
                    }
                }
            } finally {
                // A session that threw, and those after it, were not written to.
                report(writtenHere, unwritableHere, closedHere + size - i);
            }
        }
    }
}
