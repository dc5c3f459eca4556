package io.frontier.launcher.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.function.LongSupplier;

/**
 * A node's meters: none when no port serves them (recording into them then costs nothing), or a Prometheus
 * registry with the JVM's and the process's own (memory, GC pauses, threads, file descriptors, CPU) and the
 * direct memory of Netty, both the edge's and gRPC's.
 */
public final class NodeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    private NodeMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, JvmGcMetrics gc) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.gc = gc;
    }

    /** Returns meters that go nowhere, for a node that serves none. */
    public static NodeMetrics none() {
        return new NodeMetrics(new CompositeMeterRegistry(), null, null);
    }

    /** Returns a Prometheus registry with the JVM's and the process's meters bound. */
    public static NodeMetrics prometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(prometheus);
        new JvmMemoryMetrics().bindTo(prometheus);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new JvmInfoMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new FileDescriptorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(prometheus);
        }
        directMemory(prometheus, "netty", io.netty.util.internal.PlatformDependent::usedDirectMemory);
        directMemory(prometheus, "grpc",
                io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent::usedDirectMemory);
        return new NodeMetrics(prometheus, prometheus, gc);
    }

    private static void directMemory(MeterRegistry registry, String user, LongSupplier used) {
        // -1 when that Netty does not count its direct memory (it leaves it to the JVM's buffer pools then).
        if (used.getAsLong() >= 0) {
            Gauge.builder("frontier.netty.direct.memory.used", used, supplier -> supplier.getAsLong())
                    .description("Direct memory Netty holds, by the Netty that holds it: the edge's, or gRPC's own")
                    .baseUnit("bytes").tag("netty", user).strongReference(true).register(registry);
        }
    }

    /** Returns the registry the node's parts record in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Returns whether the meters are served. */
    public boolean served() {
        return prometheus != null;
    }

    /** Returns the meters in Prometheus's text format. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
