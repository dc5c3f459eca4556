package io.frontier.edge.internal.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Checks a device's credentials. Implementations must not block the caller (an
 * event loop): remote checks complete the future later.
 */
public interface Authenticator extends AutoCloseable {
    /**
     * Returns the device's identity, or a future failed with {@link AuthException}.
     */
    CompletableFuture<Identity> authenticate(Credentials credentials);

    @Override
    default void close() {
    }
}
