package io.frontier.control.access;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a call through only when its {@code authorization} header is {@code Bearer TOKEN}
 * with the configured token; any other call is closed with UNAUTHENTICATED before it
 * reaches the service. The comparison takes the same time whatever the header holds, so
 * that timing tells nothing of the token.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
    /** The header the token travels in. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";

    private final String api;
    private final byte[] expected;

    /**
     * Creates an interceptor for {@code api} (named in the error, such as "Admin API").
     *
     * @throws IllegalArgumentException when the token is blank
     */
    public BearerTokenInterceptor(String api, String token) {
        this.api = requireNonNull(api, "api");
        requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token: blank (expected: a secret of at least 1 character)");
        }
        this.expected = (SCHEME + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String presented = headers.get(AUTHORIZATION);
        byte[] actual = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, actual)) {
            call.close(Status.UNAUTHENTICATED.withDescription(presented == null
                    ? "the " + api + " needs a bearer token (authorization: Bearer TOKEN)"
                    : "the " + api + " refused this bearer token"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
