package io.frontier.control.access;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The bearer tokens of the Admin API and the Push API; an API without a token is open.
 *
 * @param adminToken the Admin API's token, or null for an open Admin API
 * @param pushToken  the Push API's token, or null for an open Push API
 */
public record ApiAccess(String adminToken, String pushToken) {
    /** Both APIs open: fit only for a gRPC port on loopback. */
    public static final ApiAccess OPEN = new ApiAccess(null, null);

    /**
     * Checks the tokens; an empty one counts as none.
     *
     * @throws IllegalArgumentException when a token is blank but not empty, or both are the same
     */
    public ApiAccess {
        adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken;
        pushToken = pushToken == null || pushToken.isEmpty() ? null : pushToken;
        if (adminToken != null && adminToken.isBlank()) {
            throw new IllegalArgumentException("adminToken: blank (expected: a secret, or none)");
        }
        if (pushToken != null && pushToken.isBlank()) {
            throw new IllegalArgumentException("pushToken: blank (expected: a secret, or none)");
        }
        if (adminToken != null && adminToken.equals(pushToken)) {
            // One leaked backend credential must not give away the Admin API.
            throw new IllegalArgumentException("adminToken: the same as pushToken (expected: two different secrets)");
        }
    }

    /** Returns the Admin API behind its token check, or as it is when it has no token. */
    public ServerServiceDefinition admin(BindableService service) {
        return guard(service, "Admin API", adminToken);
    }

    /** Returns the Push API behind its token check, or as it is when it has no token. */
    public ServerServiceDefinition push(BindableService service) {
        return guard(service, "Push API", pushToken);
    }

    /** Returns whether either API is open. */
    public boolean anyOpen() {
        return adminToken == null || pushToken == null;
    }

    /** Returns what is open, for a start-up banner: "Admin API and Push API open", or "tokens required". */
    public String describe() {
        if (adminToken == null && pushToken == null) {
            return "Admin API and Push API open (no tokens)";
        }
        if (adminToken == null) {
            return "Admin API open (no token); Push API needs its token";
        }
        if (pushToken == null) {
            return "Push API open (no token); Admin API needs its token";
        }
        return "Admin API and Push API need their tokens";
    }

    /**
     * Refuses to serve an open API on an address other machines reach, unless
     * {@code insecureOpen} says it is meant.
     *
     * @throws IllegalArgumentException saying what to set
     */
    public void checkExposure(String grpcHost, boolean insecureOpen) {
        if (!anyOpen() || insecureOpen || loopback(grpcHost)) {
            return;
        }
        throw new IllegalArgumentException("grpcHost: " + grpcHost + " with "
                + (adminToken == null && pushToken == null ? "no admin or push token"
                        : adminToken == null ? "no admin token" : "no push token")
                + " (expected: a loopback address such as 127.0.0.1, tokens in --admin-token and --push-token"
                + " or FRONTIER_ADMIN_TOKEN and FRONTIER_PUSH_TOKEN, or --insecure-open to serve them open on purpose)");
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ServerServiceDefinition guard(BindableService service, String api, String token) {
        return token == null ? service.bindService()
                : ServerInterceptors.intercept(service, new BearerTokenInterceptor(api, token));
    }

    @Override
    public String toString() {
        // Never prints the secrets.
        return "ApiAccess(" + describe() + ")";
    }
}
