package io.frontier.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The etcd requests that discovery makes, each bounded by the operation timeout, over one jetcd
 * client.
 *
 * <p>Futures complete on jetcd's threads, which include vert.x event loops: callers hop to a
 * thread of their own before doing any work in a completion.
 */
final class EtcdCalls implements AutoCloseable {
    /** gRPC pings an idle connection this often so that a dead etcd is noticed without a request. */
    private static final Duration GRPC_KEEPALIVE_TIME = Duration.ofSeconds(10);
    private static final Duration GRPC_KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);

    private final Client client;
    private final KV kv;
    private final Lease leases;
    private final Watch watches;
    private final Duration timeout;

    private EtcdCalls(Client client, Duration timeout) {
        this.client = client;
        this.kv = client.getKVClient();
        this.leases = client.getLeaseClient();
        this.watches = client.getWatchClient();
        this.timeout = timeout;
    }

    /** Builds a client for {@code config}'s endpoints; it connects on its first request, so this never blocks. */
    static EtcdCalls open(DiscoveryConfig config) {
        Duration timeout = config.operationTimeout();
        Client client = Client.builder()
                .endpoints(config.endpoints().toArray(String[]::new))
                .interceptor(new UnaryDeadline(timeout))
                // jetcd retries a request that failed on a dropped connection; never past our deadline
                .retryMaxDuration(timeout)
                .connectTimeout(timeout)
                .keepaliveTime(GRPC_KEEPALIVE_TIME)
                .keepaliveTimeout(GRPC_KEEPALIVE_TIMEOUT)
                // etcd answers pings on a connection without streams with GOAWAY too_many_pings
                .keepaliveWithoutCalls(false)
                .build();
        return new EtcdCalls(client, timeout);
    }

    CompletableFuture<GetResponse> get(ByteSequence key) {
        return bounded(kv.get(key));
    }

    CompletableFuture<GetResponse> getPrefix(ByteSequence prefix) {
        return bounded(kv.get(prefix, GetOption.builder().isPrefix(true).build()));
    }

    CompletableFuture<PutResponse> put(ByteSequence key, byte[] value, long leaseId) {
        PutOption option = leaseId == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
        return bounded(kv.put(key, ByteSequence.from(value), option));
    }

    CompletableFuture<DeleteResponse> delete(ByteSequence key) {
        return bounded(kv.delete(key));
    }

    CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
        return bounded(leases.grant(ttlSeconds));
    }

    CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
        return bounded(leases.revoke(leaseId));
    }

    /** Keeps {@code leaseId} alive until the returned handle is closed; {@code observer} hears every answer. */
    CloseableClient keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> observer) {
        return leases.keepAlive(leaseId, observer);
    }

    /** Watches every key under {@code prefix} from {@code revision} on, deletes with their previous value. */
    Watch.Watcher watchPrefix(ByteSequence prefix, long revision, Watch.Listener listener) {
        WatchOption option = WatchOption.builder().isPrefix(true).withPrevKV(true).withRevision(revision).build();
        return watches.watch(prefix, option, listener);
    }

    /** Closes the client: streams end and requests in flight fail. */
    @Override
    public void close() {
        client.close();
    }

    /** Returns the cause that a completion carries, without its CompletionException wrapper. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> call) {
        return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Gives every unary request the operation timeout as its gRPC deadline, so that one made while
     * etcd is down (jetcd waits for the connection) fails in time instead of waiting for etcd.
     * Streams (watches, keep-alives) live on without a deadline.
     */
    private static final class UnaryDeadline implements ClientInterceptor {
        private final long timeoutNanos;

        UnaryDeadline(Duration timeout) {
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
                options = options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
            }
            return next.newCall(method, options);
        }
    }
}
