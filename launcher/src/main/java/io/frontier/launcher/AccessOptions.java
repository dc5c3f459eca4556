package io.frontier.launcher;

import io.frontier.control.access.ApiAccess;
import picocli.CommandLine.Option;

/** The options of the Push and Admin APIs' tokens, shared by standalone and control-plane. */
final class AccessOptions {
    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Bearer token the Admin API requires (ctl sends FRONTIER_ADMIN_TOKEN); better given as"
                    + " FRONTIER_ADMIN_TOKEN. Without it the Admin API is open.")
    String adminToken;

    @Option(names = "--push-token", paramLabel = "TOKEN",
            description = "Bearer token the Push API requires (ctl push sends FRONTIER_PUSH_TOKEN); better given as"
                    + " FRONTIER_PUSH_TOKEN. Without it the Push API is open.")
    String pushToken;

    @Option(names = "--insecure-open",
            description = "Serves an API without a token on a non-loopback --grpc-host; refused at start otherwise.")
    boolean insecureOpen;

    /**
     * Returns the tokens, checked against the address the APIs listen on.
     *
     * @throws IllegalArgumentException when an API would be open on a non-loopback address
     */
    ApiAccess access(String grpcHost) {
        ApiAccess access = new ApiAccess(adminToken, pushToken);
        access.checkExposure(grpcHost, insecureOpen);
        return access;
    }
}
