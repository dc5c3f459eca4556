package io.frontier.control.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts the calls of a gRPC service by method and status, and times them from their arrival to their
 * close. The meters of every method are found in a map made when the service is wrapped, so that a call
 * costs a look-up in a map that never changes and one small wrapper of its own; a status's counter is made
 * on its first call, so that the statuses a method never ends with make no series.
 */
public final class ApiCallMetrics implements ServerInterceptor {
    /** Buckets from a push answered at once to one that waited a device's ack. */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Map<String, MethodMeters> methods;

    private ApiCallMetrics(Map<String, MethodMeters> methods) {
        this.methods = methods;
    }

    /**
     * Returns {@code service} with its calls counted ({@code NAME.calls}) and timed ({@code NAME.latency}) in
     * {@code registry}; with a histogram of their latency when {@code histogram}, else their count and sum alone.
     */
    public static ServerServiceDefinition intercept(ServerServiceDefinition service, String name,
                                                    MeterRegistry registry, boolean histogram) {
        Map<String, MethodMeters> methods = new HashMap<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
            methods.put(descriptor.getFullMethodName(), new MethodMeters(registry, name, descriptor, histogram));
        }
        return ServerInterceptors.intercept(service, new ApiCallMetrics(Map.copyOf(methods)));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        MethodMeters meters = methods.get(call.getMethodDescriptor().getFullMethodName());
        if (meters == null) {
            return next.startCall(call, headers);
        }
        long start = System.nanoTime();
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                meters.closed(status.getCode(), System.nanoTime() - start);
                super.close(status, trailers);
            }
        }, headers);
    }

    private static final class MethodMeters {
        private final MeterRegistry registry;
        private final String metric;
        private final String method;
        // Made on first use; two threads that make one at once get the same counter from the registry.
        private final Counter[] byStatus = new Counter[Status.Code.values().length];
        private final Timer latency;

        MethodMeters(MeterRegistry registry, String metric, MethodDescriptor<?, ?> descriptor, boolean histogram) {
            this.registry = registry;
            this.metric = metric;
            this.method = descriptor.getBareMethodName();
            Timer.Builder latency = Timer.builder(metric + ".latency")
                    .description("Calls of the API, from their arrival to their answer, by method")
                    .tag("method", method);
            this.latency = (histogram ? latency.serviceLevelObjectives(BUCKETS) : latency).register(registry);
        }

        void closed(Status.Code code, long nanos) {
            Counter counter = byStatus[code.ordinal()];
            if (counter == null) {
                counter = Counter.builder(metric + ".calls")
                        .description("Calls of the API, by method and gRPC status")
                        .tags("method", method, "status", code.name()).register(registry);
                byStatus[code.ordinal()] = counter;
            }
            counter.increment();
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
