package io.frontier.status;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link RedisUserStatus} reaches Redis. Immutable; {@link Builder#build()} checks every value and
 * names the first wrong one as {@code name: value (expected: ...)}.
 *
 * <p>The defaults make calls fail fast when Redis is down, so that the Push API answers UNAVAILABLE rather
 * than wait: 500 ms to connect, 500 ms for an answer, one retry 100 ms later. A call then fails within
 * about 0.15 s when Redis refuses connections (a stopped server) and about 1.2 s when nothing answers (a
 * frozen server, a lost network), as {@code RedisUserStatusOutageTest} measures. A Redis command of this
 * store takes well under a millisecond, so the 500 ms leave a wide margin; raise them for a slow link.
 *
 * <pre>{@code
 * RedisStatusConfig config = RedisStatusConfig.builder()
 *         .mode(RedisStatusConfig.Mode.CLUSTER)
 *         .addresses(List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379"))
 *         .build();
 * }</pre>
 */
public final class RedisStatusConfig {

    /** How Redis is deployed. */
    public enum Mode {
        /** One server: {@code addresses} holds exactly its address. */
        STANDALONE,
        /** A master found through Sentinels: {@code addresses} holds Sentinels, {@code sentinelMaster} names it. */
        SENTINEL,
        /** A Redis Cluster: {@code addresses} holds some of its nodes, the rest are discovered. */
        CLUSTER
    }

    private final Mode mode;
    private final List<String> addresses;
    private final String sentinelMaster;
    private final String password;
    private final int database;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int retryAttempts;
    private final Duration retryDelay;
    private final String keyPrefix;
    private final Duration entryTtl;
    private final int batchSize;

    private RedisStatusConfig(Builder builder) {
        this.mode = builder.mode;
        this.addresses = List.copyOf(builder.addresses);
        this.sentinelMaster = builder.sentinelMaster;
        this.password = builder.password;
        this.database = builder.database;
        this.connectTimeout = builder.connectTimeout;
        this.commandTimeout = builder.commandTimeout;
        this.retryAttempts = builder.retryAttempts;
        this.retryDelay = builder.retryDelay;
        this.keyPrefix = builder.keyPrefix;
        this.entryTtl = builder.entryTtl;
        this.batchSize = builder.batchSize;
    }

    /** Returns a builder with the defaults: standalone, {@code redis://127.0.0.1:6379}, prefix {@code frontier}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns how Redis is deployed. */
    public Mode mode() {
        return mode;
    }

    /** Returns the addresses, {@code redis://host:port} (or {@code rediss://} for TLS). */
    public List<String> addresses() {
        return addresses;
    }

    /** Returns the Sentinel master name, or null outside {@link Mode#SENTINEL}. */
    public String sentinelMaster() {
        return sentinelMaster;
    }

    /** Returns the password, or null when Redis asks for none. */
    public String password() {
        return password;
    }

    /** Returns the database number (always 0 in {@link Mode#CLUSTER}). */
    public int database() {
        return database;
    }

    /** Returns how long opening a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns how long Redis has to answer a command once sent. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Returns how many more times a command that failed or timed out is tried. */
    public int retryAttempts() {
        return retryAttempts;
    }

    /** Returns the pause before each retry. */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** Returns the first part of every key. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * Returns how long a user's hash lives after the last report of a connection of that user and client type
     * (a connect, or a reconcile that lists it); it bounds how long entries outlive a total loss of the
     * control planes and their sweep.
     */
    public Duration entryTtl() {
        return entryTtl;
    }

    /** Returns how many index records a purge or reconcile reads per step and how many updates it has in flight. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "RedisStatusConfig{mode=" + mode + ", addresses=" + addresses
                + (sentinelMaster == null ? "" : ", sentinelMaster=" + sentinelMaster)
                + ", password=" + (password == null ? "none" : "****") + ", database=" + database
                + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", retryAttempts=" + retryAttempts + ", retryDelay=" + retryDelay + ", keyPrefix=" + keyPrefix
                + ", entryTtl=" + entryTtl + ", batchSize=" + batchSize + "}";
    }

    /** Collects the values of a {@link RedisStatusConfig}; not thread-safe. */
    public static final class Builder {
        private Mode mode = Mode.STANDALONE;
        private List<String> addresses = List.of("redis://127.0.0.1:6379");
        private String sentinelMaster;
        private String password;
        private int database;
        private Duration connectTimeout = Duration.ofMillis(500);
        private Duration commandTimeout = Duration.ofMillis(500);
        private int retryAttempts = 1;
        private Duration retryDelay = Duration.ofMillis(100);
        private String keyPrefix = "frontier";
        private Duration entryTtl = Duration.ofHours(24);
        private int batchSize = 256;

        private Builder() {
        }

        /** Sets how Redis is deployed; default {@link Mode#STANDALONE}. */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Sets the addresses, {@code redis://host:port}; default {@code redis://127.0.0.1:6379}. */
        public Builder addresses(List<String> addresses) {
            this.addresses = addresses == null ? null : new ArrayList<>(addresses);
            return this;
        }

        /** Sets the one address of a standalone server. */
        public Builder address(String address) {
            return addresses(java.util.Collections.singletonList(address));
        }

        /** Sets the master name Sentinels know; required in {@link Mode#SENTINEL} only. */
        public Builder sentinelMaster(String sentinelMaster) {
            this.sentinelMaster = sentinelMaster;
            return this;
        }

        /** Sets the password; default none. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Sets the database number, 0 to 15 (0 in cluster mode); default 0. */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /** Sets how long opening a connection may take, 10 ms to 1 min; default 500 ms. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Sets how long Redis has to answer a command, 10 ms to 1 min; default 500 ms. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /** Sets how many times a command that failed or timed out is tried again, 0 to 10; default 1. */
        public Builder retryAttempts(int retryAttempts) {
            this.retryAttempts = retryAttempts;
            return this;
        }

        /** Sets the pause before a retry, 0 to 10 s; default 100 ms. */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        /** Sets the first part of every key: letters, digits, {@code _ - . :}; default {@code frontier}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets how long a user's hash lives after the last report of one of its connections, at least 1 s;
         * default 24 h.
         */
        public Builder entryTtl(Duration entryTtl) {
            this.entryTtl = entryTtl;
            return this;
        }

        /** Sets the step of purge and reconcile, 1 to 10000; default 256. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Checks every value and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first wrong value, as {@code name: value (expected: ...)}
         */
        public RedisStatusConfig build() {
            check(mode != null, "mode", null, "standalone, sentinel or cluster");
            checkAddresses();
            if (mode == Mode.SENTINEL) {
                check(sentinelMaster != null && !sentinelMaster.isBlank(), "sentinelMaster", sentinelMaster,
                        "the master name, in sentinel mode");
            } else {
                check(sentinelMaster == null, "sentinelMaster", sentinelMaster, "none outside sentinel mode");
            }
            check(password == null || !password.isEmpty(), "password", "\"\"", "null for none, or non-empty");
            if (mode == Mode.CLUSTER) {
                check(database == 0, "database", database, "0 in cluster mode");
            } else {
                check(database >= 0 && database <= 15, "database", database, "0 to 15");
            }
            checkDuration(connectTimeout, "connectTimeout", Duration.ofMillis(10), Duration.ofMinutes(1));
            checkDuration(commandTimeout, "commandTimeout", Duration.ofMillis(10), Duration.ofMinutes(1));
            check(retryAttempts >= 0 && retryAttempts <= 10, "retryAttempts", retryAttempts, "0 to 10");
            checkDuration(retryDelay, "retryDelay", Duration.ZERO, Duration.ofSeconds(10));
            check(keyPrefix != null && keyPrefix.matches("[A-Za-z0-9_.:-]{1,64}"), "keyPrefix", keyPrefix,
                    "1 to 64 of letters, digits, _ - . :");
            check(entryTtl != null && entryTtl.compareTo(Duration.ofSeconds(1)) >= 0, "entryTtl", entryTtl,
                    ">= PT1S");
            check(batchSize >= 1 && batchSize <= 10_000, "batchSize", batchSize, "1 to 10000");
            return new RedisStatusConfig(this);
        }

        private void checkAddresses() {
            check(addresses != null && !addresses.isEmpty(), "addresses", addresses, "at least one redis://host:port");
            if (mode == Mode.STANDALONE) {
                check(addresses.size() == 1, "addresses", addresses, "exactly one address in standalone mode");
            }
            for (String address : addresses) {
                check(isAddress(address), "addresses", address, "redis://host:port or rediss://host:port");
            }
        }

        private static boolean isAddress(String address) {
            if (address == null) {
                return false;
            }
            try {
                URI uri = new URI(address);
                String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
                return (scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null
                        && uri.getPort() > 0 && uri.getPort() <= 65_535
                        && (uri.getPath() == null || uri.getPath().isEmpty())
                        && uri.getQuery() == null && uri.getUserInfo() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        private static void checkDuration(Duration value, String name, Duration min, Duration max) {
            check(value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0, name, value,
                    min + " to " + max);
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
            }
        }
    }
}
