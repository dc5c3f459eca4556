package io.frontier.edge.internal.routing;

import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.edge.internal.metrics.UpstreamMetrics;
import io.frontier.edge.routing.RouteTable;
import io.frontier.protocol.StatusCode;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a device's upstream request to the backend of its service id with
 * {@code BackService.SendMessage}, within a deadline, without blocking the caller.
 * Failures become replies a device understands: 404 when no backend is registered,
 * 502 when the call failed, 504 when it ran past its deadline. The request's logid,
 * connection and headers also travel as gRPC metadata ({@link UpstreamMetadata}).
 */
public final class UpstreamRouter {
    private static final Logger log = LoggerFactory.getLogger(UpstreamRouter.class);

    private static final int MAX_LOGGED_DESCRIPTION = 200;

    private final RouteTable routes;
    private final UpstreamMetrics metrics;

    public UpstreamRouter(RouteTable routes) {
        this(routes, new UpstreamMetrics(new CompositeMeterRegistry()));
    }

    public UpstreamRouter(RouteTable routes, UpstreamMetrics metrics) {
        this.routes = routes;
        this.metrics = metrics;
    }

    /** Counts a request the device was answered 429 for without a call: it had too many in flight. */
    public void tooMany(int service) {
        if (routes.backend(service) == null) {
            metrics.unknownService();
        } else {
            metrics.of(service).answered(StatusCode.TOO_MANY);
        }
    }

    /** Returns the backend's reply, or a reply carrying the failure's code; never fails. */
    public CompletableFuture<SendMessageReply> send(SendMessageRequest request) {
        RouteTable.Backend backend = routes.backend(request.getService());
        if (backend == null) {
            metrics.unknownService();
            return CompletableFuture.completedFuture(
                    error(StatusCode.NOT_FOUND, "no backend registered for service " + request.getService()));
        }
        CompletableFuture<SendMessageReply> result = new CompletableFuture<>();
        UpstreamMetrics.Service meters = metrics.of(request.getService());
        long start = System.nanoTime();
        Duration deadline = backend.deadline();
        BackServiceGrpc.newStub(backend.channel())
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(UpstreamMetadata.of(request)))
                .sendMessage(request, new StreamObserver<>() {
                    @Override
                    public void onNext(SendMessageReply reply) {
                        if (result.complete(reply.getStatus() == 0
                                ? reply.toBuilder().setStatus(StatusCode.OK).build() : reply)) {
                            meters.called(reply.getStatus() == 0 ? StatusCode.OK : reply.getStatus(),
                                    System.nanoTime() - start);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        String conn = request.getConnection().getConnId();
                        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                            log.info("conn {}: service {} timed out after {}", conn, request.getService(), deadline);
                            meters.called(StatusCode.GATEWAY_TIMEOUT, System.nanoTime() - start);
                            result.complete(error(StatusCode.GATEWAY_TIMEOUT,
                                    "service " + request.getService() + " timed out"));
                        } else {
                            // One line: Status.toString() would carry the cause's whole stack trace.
                            log.info("conn {}: service {} failed: {}", conn, request.getService(), describe(status));
                            meters.called(StatusCode.BAD_GATEWAY, System.nanoTime() - start);
                            result.complete(error(StatusCode.BAD_GATEWAY,
                                    "service " + request.getService() + " failed: " + status.getCode()));
                        }
                    }

                    @Override
                    public void onCompleted() {
                        if (!result.isDone()) {
                            meters.called(StatusCode.BAD_GATEWAY, System.nanoTime() - start);
                            result.complete(error(StatusCode.BAD_GATEWAY, "service " + request.getService() + " sent no reply"));
                        }
                    }
                });
        return result;
    }

    /** Returns the status's code and description, cut short: a backend's description has no bound. */
    private static String describe(Status status) {
        String description = status.getDescription();
        if (description == null) {
            return status.getCode().toString();
        }
        String oneLine = description.replaceAll("\\s+", " ");
        return status.getCode() + ": " + (oneLine.length() > MAX_LOGGED_DESCRIPTION
                ? oneLine.substring(0, MAX_LOGGED_DESCRIPTION) + "..." : oneLine);
    }

    private static SendMessageReply error(int status, String message) {
        return SendMessageReply.newBuilder().setStatus(status).setMessage(message).build();
    }
}
