package io.frontier.discovery;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of an {@link EtcdDiscovery}, validated when built.
 *
 * @param endpoints        etcd's client URLs, {@code http://host:port}, one or more
 * @param namespace        the prefix of every key, such as {@code /frontier}: {@code /} and one or more
 *                         segments, without a trailing {@code /}
 * @param leaseTtl         the TTL of each registration's lease, in whole seconds: how long a node that
 *                         died stays listed
 * @param operationTimeout the deadline of each single etcd request (a get, a put, a lease grant)
 * @param firstBackoff     the wait before the second try of a registration or a watch that failed; it
 *                         doubles for each later try
 * @param maxBackoff       the longest wait between two tries
 */
public record DiscoveryConfig(List<String> endpoints, String namespace, Duration leaseTtl, Duration operationTimeout,
                              Duration firstBackoff, Duration maxBackoff) {
    /** The shortest lease TTL: etcd's keep-alives go out every third of it, on a half-second tick. */
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);
    private static final Pattern NAMESPACE = Pattern.compile("(/[^/\\s]+)+");

    /** Validates the settings and copies the list of endpoints. */
    public DiscoveryConfig {
        requireNonNull(endpoints, "endpoints");
        check(!endpoints.isEmpty(), "endpoints", endpoints, "at least one URL such as http://127.0.0.1:2379");
        for (int i = 0; i < endpoints.size(); i++) {
            String endpoint = endpoints.get(i);
            check(isEndpoint(endpoint), "endpoints[" + i + "]", endpoint, "http://host:port");
        }
        check(new HashSet<>(endpoints).size() == endpoints.size(), "endpoints", endpoints, "each URL once");
        endpoints = List.copyOf(endpoints);
        check(namespace != null && NAMESPACE.matcher(namespace).matches(), "namespace", namespace,
                "/ and one or more segments without spaces, no trailing /, such as /frontier");
        requireNonNull(leaseTtl, "leaseTtl");
        check(leaseTtl.compareTo(MIN_LEASE_TTL) >= 0 && leaseTtl.toMillis() % 1000 == 0, "leaseTtl", leaseTtl,
                "whole seconds, at least " + MIN_LEASE_TTL);
        positive("operationTimeout", operationTimeout);
        positive("firstBackoff", firstBackoff);
        positive("maxBackoff", maxBackoff);
        check(maxBackoff.compareTo(firstBackoff) >= 0, "maxBackoff", maxBackoff, ">= firstBackoff " + firstBackoff);
    }

    /**
     * Returns the defaults for {@code endpoints}: namespace {@code /frontier}, leases of 10 s,
     * 3 s per request, backoff from 200 ms doubling up to 5 s.
     */
    public static DiscoveryConfig of(List<String> endpoints) {
        return builder(endpoints).build();
    }

    /** Returns a builder for {@code endpoints} that starts from the defaults of {@link #of}. */
    public static Builder builder(List<String> endpoints) {
        return new Builder(endpoints);
    }

    /**
     * Returns how long a registration waits for an answer to its keep-alives before it takes its
     * lease for lost and registers again: half the TTL, or, when that is shorter, jetcd's
     * keep-alive period (a third of the TTL, sent on a half-second tick) plus one second, so that
     * a healthy lease never looks stalled.
     */
    Duration keepAliveStall() {
        Duration half = leaseTtl.dividedBy(2);
        Duration period = leaseTtl.dividedBy(3).plusSeconds(1);
        return half.compareTo(period) >= 0 ? half : period;
    }

    private static boolean isEndpoint(String endpoint) {
        if (endpoint == null) {
            return false;
        }
        try {
            URI uri = new URI(endpoint);
            return "http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && uri.getPort() <= 65_535 && uri.getUserInfo() == null && uri.getQuery() == null
                    && uri.getFragment() == null && (uri.getPath() == null || uri.getPath().isEmpty());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        check(!value.isNegative() && !value.isZero(), name, value, "> 0");
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }

    /** Builds a {@link DiscoveryConfig}; every setting but the endpoints has a default. */
    public static final class Builder {
        private final List<String> endpoints;
        private String namespace = "/frontier";
        private Duration leaseTtl = Duration.ofSeconds(10);
        private Duration operationTimeout = Duration.ofSeconds(3);
        private Duration firstBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);

        private Builder(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        /** Sets the prefix of every key (default {@code /frontier}). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Sets the TTL of registrations' leases, whole seconds, at least 2 s (default 10 s). */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        /** Sets the deadline of each single etcd request (default 3 s). */
        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = operationTimeout;
            return this;
        }

        /** Sets the first wait between tries and the longest one (default 200 ms and 5 s). */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Returns the config.
         *
         * @throws IllegalArgumentException naming the first setting that is out of range
         */
        public DiscoveryConfig build() {
            return new DiscoveryConfig(endpoints, namespace, leaseTtl, operationTimeout, firstBackoff, maxBackoff);
        }
    }
}
