package io.frontier.cli;

import static java.util.Objects.requireNonNull;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Mints the device tokens the gateway accepts: JWTs signed with HS256 and the
 * secret the gateway verifies them with. Meant for developers and tests; a real
 * deployment gets its tokens from its own login service, with the same claims.
 *
 * <p>Claims: {@value #USER_CLAIM} (user id), {@value #DEVICE_CLAIM} (device id,
 * only when the token is bound to one device), {@code iat} and {@code exp}, both in
 * whole seconds.
 */
public final class DevTokens {
    /** The environment variable holding the secret, shared with the gateway. */
    public static final String SECRET_ENV = "FRONTIER_JWT_SECRET";
    /** The claim carrying the user id: the registered subject claim. */
    public static final String USER_CLAIM = "sub";
    /** The claim carrying the device id, present only when the token is bound to one device. */
    public static final String DEVICE_CLAIM = "did";
    /** The shortest secret, in UTF-8 bytes, accepted for HS256: its key size. */
    public static final int MIN_SECRET_BYTES = 32;

    private DevTokens() {
    }

    /**
     * Returns a signed token for {@code userId}, valid from now for {@code ttl}.
     *
     * @param secret the HS256 secret, at least {@value #MIN_SECRET_BYTES} bytes in UTF-8
     * @param deviceIdOrNull the device the token is bound to, or null for any device of the user
     * @param clock the source of {@code iat}
     * @throws IllegalArgumentException when the secret is short, the user or device
     *     id blank, or the ttl not positive
     */
    public static String mint(String secret, String userId, String deviceIdOrNull, Duration ttl, Clock clock) {
        requireNonNull(secret, "secret");
        requireNonNull(userId, "userId");
        requireNonNull(ttl, "ttl");
        requireNonNull(clock, "clock");
        int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (secretBytes < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "secret: " + secretBytes + " bytes (expected: at least " + MIN_SECRET_BYTES + ", the HS256 key size)");
        }
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId: '" + userId + "' (expected: not blank)");
        }
        if (deviceIdOrNull != null && deviceIdOrNull.isBlank()) {
            throw new IllegalArgumentException("deviceId: '" + deviceIdOrNull + "' (expected: not blank, or null)");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: at least 1s)");
        }
        // JWT times are whole seconds: truncating here keeps exp - iat equal to the ttl.
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTCreator.Builder token = JWT.create()
                .withSubject(userId)
                .withIssuedAt(issuedAt)
                .withExpiresAt(issuedAt.plus(ttl));
        if (deviceIdOrNull != null) {
            token.withClaim(DEVICE_CLAIM, deviceIdOrNull);
        }
        return token.sign(Algorithm.HMAC256(secret));
    }
}
