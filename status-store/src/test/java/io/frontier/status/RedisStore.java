package io.frontier.status;

import io.frontier.testing.RedisCluster;
import io.frontier.testing.RedisServer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that runs one real Redis (a server, or a cluster of three masters) and one
 * {@link RedisUserStatus} on it for a whole test class, and empties Redis before each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisStore redis = RedisStore.standalone();
 * }</pre>
 */
final class RedisStore implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** Small, so that purge and reconcile of a few hundred entries take several steps. */
    static final int BATCH_SIZE = 16;

    private final boolean cluster;
    private RedisServer server;
    private RedisCluster nodes;
    private RedisUserStatus status;

    private RedisStore(boolean cluster) {
        this.cluster = cluster;
    }

    static RedisStore standalone() {
        return new RedisStore(false);
    }

    static RedisStore cluster() {
        return new RedisStore(true);
    }

    /** Returns the store, the same one for every test of the class. */
    RedisUserStatus status() {
        return status;
    }

    /** Returns the standalone server. */
    RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("not a standalone store");
        }
        return server;
    }

    /** Returns a configuration for this Redis, changed by {@code change}, for a store of the test's own. */
    RedisStatusConfig config(UnaryOperator<RedisStatusConfig.Builder> change) {
        RedisStatusConfig.Builder builder = RedisStatusConfig.builder().batchSize(BATCH_SIZE);
        if (cluster) {
            builder.mode(RedisStatusConfig.Mode.CLUSTER).addresses(nodes.uris());
        } else {
            builder.addresses(List.of(server.uri()));
        }
        return change.apply(builder).build();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (cluster) {
            nodes = RedisCluster.start(3);
        } else {
            server = new RedisServer().start();
        }
        status = RedisUserStatus.connect(config(builder -> builder));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (cluster) {
            nodes.flushAll();
        } else {
            server.flushAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (status != null) {
            status.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
