package io.frontier.control.events;

import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.SendEventReply;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@code BackService.SendEvent} on the in-process transport, under a unique name that is
 * also its target. It records every call, fails the next calls with the statuses it is given,
 * and, while holding, answers nothing until {@link #release()}.
 */
final class ScriptedBackend implements AutoCloseable {
    /** Every call received, in arrival order: failed and held ones too. */
    final List<ConnectionEvent> calls = new CopyOnWriteArrayList<>();
    /** The events answered with success, in order. */
    final List<ConnectionEvent> delivered = new CopyOnWriteArrayList<>();

    private final String target = InProcessServerBuilder.generateName();
    private final Queue<Status> failures = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    private final Server server;
    private volatile boolean holding;

    ScriptedBackend() throws IOException {
        server = InProcessServerBuilder.forName(target)
                .directExecutor()
                .addService(new BackServiceGrpc.BackServiceImplBase() {
                    @Override
                    public void sendEvent(ConnectionEvent event, StreamObserver<SendEventReply> reply) {
                        calls.add(event);
                        Status failure = failures.poll();
                        if (failure != null) {
                            reply.onError(failure.asRuntimeException());
                        } else if (holding) {
                            held.add(() -> answer(event, reply));
                        } else {
                            answer(event, reply);
                        }
                    }
                })
                .build()
                .start();
    }

    private void answer(ConnectionEvent event, StreamObserver<SendEventReply> reply) {
        delivered.add(event);
        reply.onNext(SendEventReply.getDefaultInstance());
        reply.onCompleted();
    }

    String target() {
        return target;
    }

    /** Fails the next calls, one status each. */
    void failNext(Status... statuses) {
        failures.addAll(List.of(statuses));
    }

    /** Answers no call until {@link #release()}. */
    void hold() {
        holding = true;
    }

    /** Answers the held calls with success, and later calls at once. */
    void release() {
        holding = false;
        for (Runnable answer = held.poll(); answer != null; answer = held.poll()) {
            answer.run();
        }
    }

    @Override
    public void close() {
        try {
            if (!server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("backend " + target + " did not terminate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backend " + target + " terminated", e);
        }
    }
}
